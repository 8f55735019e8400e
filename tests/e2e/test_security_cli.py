"""`warden security`: the signed client of Warden's own security API (models/warden/2026-12-01), run as a user
runs it against a real server: credentials from the environment, from a profile in temporary AWS config and
credentials files (endpoint_url in the profile), from an STS session, and a user with no permissions.

Every run gets a HOME with no ~/.aws and an environment without the machine's AWS_* variables, so only what a
test sets is read."""

import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import REGION, ROOT_KEY, ROOT_SECRET, allow, client, make_user, warden_binary

CHECK_KEYS = ["id", "title", "severity", "status", "practice", "references", "fix", "findings"]
FINDING_KEYS = ["resource", "status", "reason"]
STATUSES = {"PASS", "FAIL", "INFO"}
SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL"}


@pytest.fixture(scope="module")
def home():
    path = tempfile.mkdtemp(prefix="warden-e2e-home-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def env_for(home, **variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = home
    env.update(variables)
    return env


def root_env(home, **variables):
    return env_for(home, AWS_ACCESS_KEY_ID=ROOT_KEY, AWS_SECRET_ACCESS_KEY=ROOT_SECRET, **variables)


def security(*args, env):
    return subprocess.run([warden_binary(), "security", *args], env=env, capture_output=True, text=True, timeout=120)


def checks_of(result):
    """The checks of a `--json` run, after checking the documented shape and that the exit status agrees."""
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert list(doc) == ["checks"]
    for check in doc["checks"]:
        assert list(check) == CHECK_KEYS
        assert check["status"] in STATUSES
        assert check["severity"] in SEVERITIES
        assert isinstance(check["references"], list)
        assert check["id"] and check["title"] and check["fix"]
        for finding in check["findings"]:
            assert list(finding) == FINDING_KEYS
            assert finding["status"] in STATUSES
    failing = any(c["status"] == "FAIL" for c in doc["checks"])
    assert result.returncode == (1 if failing else 0)
    return doc["checks"]


def test_status_json_with_root_credentials_from_the_environment(server, home):
    r = security("status", "--json", "--endpoint-url", server.endpoint, env=root_env(home))
    checks = checks_of(r)
    # The IAM dashboard's security status has five items.
    assert len(checks) == 5
    assert len({c["id"] for c in checks}) == 5
    assert r.stdout.startswith('{\n  "checks": [')


def test_status_text_has_one_line_per_check_and_a_summary(server, home):
    env = root_env(home, AWS_ENDPOINT_URL=server.endpoint)
    checks = checks_of(security("status", "--json", env=env))
    r = security("status", env=env)
    assert r.returncode in (0, 1), r.stderr
    lines = r.stdout.splitlines()
    passing = sum(c["status"] == "PASS" for c in checks)
    assert lines[-1] == f"{passing} of 5 checks pass"
    for c in checks:
        line = next(l for l in lines if re.match(rf"^{c['status']}\s+{c['severity']}\s+{re.escape(c['id'])}\s+", l))
        assert line.endswith(c["title"])
        if c["status"] == "FAIL":
            assert any(l.strip() == f"Fix: {c['fix']}" for l in lines)
    assert "\x1b[" not in r.stdout  # not a terminal: no colour


def test_checks_all_and_by_id(server, home):
    env = root_env(home, AWS_ENDPOINT_URL_WARDEN=server.endpoint, AWS_ENDPOINT_URL="http://127.0.0.1:9")
    every = checks_of(security("checks", "--json", env=env))
    ids = [c["id"] for c in every]
    assert len(ids) >= 5 and len(set(ids)) == len(ids)
    some = checks_of(security("checks", "--json", "--check", ids[0], "--check", ids[-1], env=env))
    assert {c["id"] for c in some} == {ids[0], ids[-1]}
    text = security("checks", "--check", ids[0], env=env)
    assert text.returncode in (0, 1), text.stderr
    assert re.fullmatch(r"[01] of 1 check passes", text.stdout.splitlines()[-1])


def test_profile_from_temporary_config_and_credentials_files(server, home):
    base = tempfile.mkdtemp(prefix="warden-e2e-aws-")
    try:
        config = os.path.join(base, "config")
        credentials = os.path.join(base, "credentials")
        with open(config, "w") as f:
            f.write(f"[profile e2e]\nregion = {REGION}\nendpoint_url = {server.endpoint}\n\n"
                    "[profile keyless]\nregion = eu-west-1\n")
        with open(credentials, "w") as f:
            f.write(f"[e2e]\naws_access_key_id = {ROOT_KEY}\naws_secret_access_key = {ROOT_SECRET}\n")
        files = {"AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials}

        # The profile alone: credentials from the credentials file, endpoint from the config file.
        by_profile = checks_of(security("status", "--json", env=env_for(home, AWS_PROFILE="e2e", **files)))
        assert len(by_profile) == 5
        assert checks_of(security("status", "--json", "--profile", "e2e", env=env_for(home, **files))) == by_profile

        # Environment credentials win over AWS_PROFILE's, as in the AWS CLI: these are not a key of the server's.
        wrong = {"AWS_ACCESS_KEY_ID": "AKIAUNKNOWNKEY000001", "AWS_SECRET_ACCESS_KEY": "x" * 40}
        r = security("status", "--json", env=env_for(home, AWS_PROFILE="e2e", **wrong, **files))
        assert r.returncode == 2
        assert r.stdout == ""
        assert "InvalidClientTokenId" in r.stderr or "UnrecognizedClient" in r.stderr, r.stderr
        assert "x" * 40 not in r.stderr
        # ...but --profile wins over environment credentials.
        checks_of(security("status", "--json", "--profile", "e2e", env=env_for(home, **wrong, **files)))

        # A profile without keys, and one that does not exist.
        r = security("status", "--profile", "keyless", "--endpoint-url", server.endpoint, env=env_for(home, **files))
        assert r.returncode == 2
        assert "Unable to locate credentials" in r.stderr
        r = security("status", "--profile", "missing", env=env_for(home, **files))
        assert r.returncode == 2
        assert "`missing`" in r.stderr and "could not be found" in r.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_session_credentials_are_sent_with_their_token(server, home, iam):
    name, key, secret = make_user(iam, policy=allow(["warden:GetSecurityStatus"]))
    session = client(server, "sts", key, secret).get_session_token()["Credentials"]
    env = env_for(home, AWS_ACCESS_KEY_ID=session["AccessKeyId"], AWS_SECRET_ACCESS_KEY=session["SecretAccessKey"],
                  AWS_SESSION_TOKEN=session["SessionToken"], AWS_ENDPOINT_URL=server.endpoint)
    assert len(checks_of(security("status", "--json", env=env))) == 5
    # Without the token the temporary key is not accepted.
    del env["AWS_SESSION_TOKEN"]
    r = security("status", "--json", env=env)
    assert r.returncode == 2
    assert session["SecretAccessKey"] not in r.stderr and session["SessionToken"] not in r.stderr


def test_a_user_without_permissions_is_denied(server, home, iam):
    name, key, secret = make_user(iam)
    env = env_for(home, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=REGION)
    for args, action in [(["status", "--json"], "GetSecurityStatus"), (["checks"], "GetSecurityChecks"),
                         (["alerts"], "ListAlerts"), (["remediate", "--dry-run"], "RunRemediations")]:
        r = security(*args, "--endpoint-url", server.endpoint, env=env)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stdout == ""
        assert r.stderr.startswith("warden security: AccessDenied"), r.stderr
        assert f"warden:{action}" in r.stderr
        assert f":user/{name}" in r.stderr
        assert secret not in r.stderr


def test_alerts_and_dry_run_remediations_as_json(server, home):
    env = root_env(home, AWS_ENDPOINT_URL=server.endpoint)
    r = security("alerts", "--json", env=env)
    assert r.returncode == 0, r.stderr
    alerts = json.loads(r.stdout)
    assert list(alerts) == ["alerts"]
    for a in alerts["alerts"]:
        assert list(a) == ["id", "rule", "severity", "account_id", "time", "event_id", "event_name", "text", "deliveries"]
    r = security("remediate", "--dry-run", "--json", env=env)
    assert r.returncode == 0, r.stderr
    remediations = json.loads(r.stdout)
    assert list(remediations) == ["remediations"]
    for x in remediations["remediations"]:
        assert list(x) == ["check_id", "action", "resource", "status", "reason", "time"]
        assert x["status"] in {"WOULD_APPLY", "FAILED"}


def test_configuration_errors_exit_2(server, home):
    r = security("status", env=root_env(home))
    assert r.returncode == 2
    assert "--endpoint-url" in r.stderr and "AWS_ENDPOINT_URL" in r.stderr
    r = security("status", "--endpoint-url", server.endpoint, env=env_for(home))
    assert r.returncode == 2
    assert "Unable to locate credentials" in r.stderr
    r = security("status", "--endpoint-url", "not-a-url", env=root_env(home))
    assert r.returncode == 2
    assert "`not-a-url`" in r.stderr


def test_help_names_the_command():
    r = subprocess.run([warden_binary(), "security", "status", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert "warden security status" in r.stdout
    assert "--endpoint-url" in r.stdout and "--profile" in r.stdout and "--region" in r.stdout


def test_the_checks_are_metrics_behind_a_token(tmp_path):
    import requests
    from conftest import Server
    srv = Server(str(tmp_path / "data"), env={"WARDEN_METRICS_TOKEN": "metrics-token-for-tests"}).start()
    try:
        assert requests.get(srv.endpoint + "/metrics", timeout=10).status_code == 401
        assert requests.get(srv.endpoint + "/metrics", headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
        r = requests.get(srv.endpoint + "/metrics", headers={"Authorization": "Bearer metrics-token-for-tests"}, timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
        lines = r.text.splitlines()
        assert 'warden_security_check_status{account="123456789012",check="root-access-keys",status="FAIL"} 1' in lines
        assert 'warden_security_check_status{account="123456789012",check="root-access-keys",status="PASS"} 0' in lines
        assert 'warden_security_check_findings{account="123456789012",check="root-access-keys",status="FAIL"} 1' in lines
    finally:
        srv.stop()


def test_without_a_token_there_are_no_metrics(server):
    import requests
    assert requests.get(server.endpoint + "/metrics", timeout=10).status_code != 200


def test_the_documented_catalogue_is_the_real_one():
    import os
    import subprocess
    from conftest import ROOT_DIR, warden_binary
    out = subprocess.run([warden_binary(), "security", "list-checks"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0
    doc = open(os.path.join(ROOT_DIR, "docs", "security-status.md")).read()
    assert out.stdout.strip() in doc, "regenerate the table in docs/security-status.md with: warden security list-checks"
