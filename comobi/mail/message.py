"""Messages from Jinja templates: French plain text, and an HTML alternative made from it.

``templates/mail/<kind>.txt`` gives the subject on its first line, then a blank line,
then the body (which includes ``mail/_footer.txt``: the service's name, phone and hours).
The HTML part is ``mail/_layout.html`` filled with the same paragraphs, where a line
ending with « : » followed by a line holding only an address becomes one link.
"""
from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import render_template

from comobi.mail.outbox import Mail

_ADDRESS = re.compile(r"^https?://\S+$")


def render(kind: str, event: str, to: str, why: str, **context) -> Mail:
    """The message of this kind for ``to``, as queued."""
    subject, _, body = render_template(f"mail/{kind}.txt", **context).strip().partition("\n")
    text = body.strip() + "\n"
    html = render_template("mail/_layout.html", subject=subject.strip(), paragraphs=paragraphs(text))
    return Mail(event=event, to=to, subject=subject.strip(), text=text, html=html, why=why)


def paragraphs(text: str) -> list[list[dict]]:
    """Blocks of lines; each line is {"text"} or {"text", "href"} (a label and its address)."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[dict] = []
        for line in block.splitlines():
            line = line.rstrip()
            if _ADDRESS.match(line.strip()):
                if lines and lines[-1]["text"].endswith(":") and "href" not in lines[-1]:
                    lines[-1] = {"text": lines[-1]["text"].rstrip(" :"), "href": line.strip()}
                else:
                    lines.append({"text": line.strip(), "href": line.strip()})
            else:
                lines.append({"text": line})
        blocks.append(lines)
    return blocks


def build(mail: Mail, sender: str, service_name: str, reply_to: str = "") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{service_name} <{sender}>" if service_name else sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message
