"""The testing-only clock offset (WARDEN_TESTING_CLOCK_OFFSET_SECONDS): off by default, loud when on, and the
server's whole notion of "now" moves with it (creation dates, last-used dates, SigV4's time check). Clients sign
with the same shifted time through freezegun, as tests that need days to pass do.
"""
import datetime
import subprocess

import pytest
import requests
from botocore.exceptions import ClientError
from freezegun import freeze_time

from conftest import Server, client, unique, warden_binary

DAYS = 100
OFFSET = DAYS * 86400


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("clock") / "data"), env={"WARDEN_TESTING_CLOCK_OFFSET_SECONDS": str(OFFSET)}).start()
    yield srv
    srv.stop()


def future():
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=DAYS)


def test_the_offset_is_loud(shifted):
    assert requests.get(shifted.endpoint + "/healthz").text == f"ok (testing clock offset {float(OFFSET)} s)"
    log = open(shifted.log_path).read()
    assert f"WARDEN_TESTING_CLOCK_OFFSET_SECONDS={float(OFFSET)}: THE SERVER'S CLOCK IS SHIFTED (testing only)" in log


def test_a_client_signing_with_the_shifted_time_sees_shifted_dates(shifted):
    with freeze_time(future(), tick=True):
        iam = client(shifted, "iam")
        name = unique("later")
        created = iam.create_user(UserName=name)["User"]["CreateDate"]
        key = iam.create_access_key(UserName=name)["AccessKey"]
        expected = datetime.datetime.now(datetime.timezone.utc)
    assert abs((created - expected).total_seconds()) < 120
    assert abs((key["CreateDate"] - expected).total_seconds()) < 120


def test_a_client_on_the_real_clock_is_refused_as_out_of_time(shifted):
    with pytest.raises(ClientError) as e:
        client(shifted, "iam").list_users()
    assert e.value.response["Error"]["Code"] in ("SignatureDoesNotMatch", "RequestExpired", "InvalidClientTokenId")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)


def test_the_default_server_has_no_offset(server):
    assert requests.get(server.endpoint + "/healthz").text == "ok"


@pytest.mark.parametrize("value", ["soon", "nan", str(20 * 365 * 86400)])
def test_a_bad_offset_stops_the_server_with_a_clear_error(tmp_path, value):
    p = subprocess.run([warden_binary(), "serve", "--port", "0", "--data-dir", str(tmp_path / "data")],
                       env={"WARDEN_TESTING_CLOCK_OFFSET_SECONDS": value, "PATH": "/usr/bin:/bin"},
                       capture_output=True, text=True, timeout=60)
    assert p.returncode != 0
    assert "WARDEN_TESTING_CLOCK_OFFSET_SECONDS" in p.stdout + p.stderr
