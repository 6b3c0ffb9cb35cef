"""Run the stand-in on its own: ``python -m tests.sheets_standin --port 8765 --seed demo.json``."""

import argparse

from .seed import load_seed
from .server import SheetsStandin


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local stand-in for the Google Sheets API v4.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--seed", action="append", default=[],
                        help="JSON or .xlsx file to load (repeatable)")
    parser.add_argument("--id", default="demo", help="spreadsheet id for an .xlsx seed")
    args = parser.parse_args(argv)

    standin = SheetsStandin(args.host, args.port)
    for path in args.seed:
        for spreadsheet_id in load_seed(standin, path, args.id):
            print(f"loaded spreadsheet {spreadsheet_id!r} from {path}")
    print(f"GOOGLE_SHEETS_API_ENDPOINT={standin.endpoint}", flush=True)
    try:
        standin.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()


if __name__ == "__main__":
    main()
