"""The one detour rule (matching.leg_suits), shared by the search, its index and the API."""
import numpy as np
import pytest

from comobi.interop import rides
from comobi.matching import leg_suits
from comobi.models import Place


@pytest.mark.parametrize("path, direct, factor, near_start, near_end, suits", [
    (18.0, 10.0, 1.8, False, False, True),  # exactly the allowed path
    (18.000001, 10.0, 1.8, False, False, False),
    (30.0, 10.0, 1.8, True, True, True),  # near both ends: any detour
    (30.0, 10.0, 1.8, True, False, False),
    (30.0, 10.0, 1.8, False, True, False),
    (10.0, 10.0, 1.0, False, False, True),
])
def test_leg_suits_on_numbers(path, direct, factor, near_start, near_end, suits):
    assert leg_suits(path, direct, factor, near_start, near_end) == suits


def test_leg_suits_on_arrays_answers_as_on_numbers():
    rng = np.random.default_rng(3)
    path, direct = rng.uniform(0, 60, 500), rng.uniform(0, 30, 500)
    near_start, near_end = rng.random(500) < 0.3, rng.random(500) < 0.3
    together = leg_suits(path, direct, 1.8, near_start, near_end)
    one_by_one = [leg_suits(float(p), float(d), 1.8, bool(s), bool(e))
                  for p, d, s, e in zip(path, direct, near_start, near_end)]
    assert together.tolist() == one_by_one
    assert 0 < sum(one_by_one) < 500


def _place(name, lat, lng):
    return Place(name=name, slug=name.lower(), latitude=lat, longitude=lng)


def _leg(start, end):
    return rides.Leg(None, "aller", start, end, "", "", None)


LIMOGNE, CAHORS = _place("Limogne", 44.3960, 1.7710), _place("Cahors", 44.4475, 1.4419)
LALBENQUE, FIGEAC = (44.3383, 1.5461), (44.6086, 2.0317)


def test_the_api_takes_the_driver_through_the_passenger_within_the_rule():
    ride = rides.ride_along(_leg(LIMOGNE, CAHORS), LALBENQUE, rides.point_of(CAHORS), 2, 2, 1.8)
    assert ride is not None and ride.pickup == LALBENQUE and ride.drop_label == "Cahors"
    assert rides.ride_along(_leg(LIMOGNE, CAHORS), LALBENQUE, rides.point_of(CAHORS), 2, 2, 1.05) is None


def test_the_api_refuses_a_detour_the_rule_refuses():
    assert rides.ride_along(_leg(LIMOGNE, CAHORS), FIGEAC, rides.point_of(CAHORS), 2, 2, 1.8) is None
    # ...unless the passenger is within both radii: then the meeting points are the driver's own.
    assert rides.ride_along(_leg(LIMOGNE, CAHORS), FIGEAC, rides.point_of(CAHORS), 60, 2, 1.8) is not None
