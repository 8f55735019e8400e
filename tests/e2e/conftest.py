"""End-to-end fixtures: real `warden serve` processes driven by real AWS clients (boto3, the AWS CLI).

WARDEN_BIN names the binary (default .build/debug/warden). Each test module gets its own server and data
directory, account 123456789012 and a root access key, unless a test starts its own server.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import boto3
import pytest
import requests
from botocore.config import Config

ACCOUNT_ID = "123456789012"
ROOT_KEY = "AKIAWARDENE2EROOT001"
ROOT_SECRET = "wardenE2eRootSecretKey000000000000000000"
REGION = "us-east-1"
ROOT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Warden's own API (security status, checks, alerts) is a model in botocore's format in models/: botocore finds
# it through AWS_DATA_PATH, so `boto3.client("warden")` and `aws warden …` work in every test.
os.environ["AWS_DATA_PATH"] = os.pathsep.join(p for p in [os.path.join(ROOT_DIR, "models"), os.environ.get("AWS_DATA_PATH")] if p)


def warden_binary():
    return os.environ.get("WARDEN_BIN") or os.path.join(ROOT_DIR, ".build", "debug", "warden")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `warden serve` process on a free loopback port."""

    def __init__(self, data_dir, env=None, root_key=True):
        self.data_dir = data_dir
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.env = dict(env or {})
        if root_key:
            self.env.setdefault("WARDEN_ACCOUNT_ID", ACCOUNT_ID)
            self.env.setdefault("WARDEN_ROOT_ACCESS_KEY_ID", ROOT_KEY)
            self.env.setdefault("WARDEN_ROOT_SECRET_ACCESS_KEY", ROOT_SECRET)
        self.proc = None
        self.log_path = data_dir.rstrip("/") + ".log"

    def start(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_") or k == "WARDEN_BIN"}
        env.update(self.env)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [warden_binary(), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", self.data_dir],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"warden exited with {self.proc.returncode}: {open(self.log_path).read()[-2000:]}")
            try:
                if requests.get(self.endpoint + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("warden did not become healthy")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode if self.proc else None
        self.proc = None
        return code

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        return self.start()

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


def module_server(prefix="warden-e2e-", env=None):
    """Runs a server for a module's fixture (use with `yield from`): started in a fresh directory, stopped and
    removed afterwards; the log of a server that died during the module is kept, and where it is is said."""
    base = tempfile.mkdtemp(prefix=prefix)
    srv = Server(os.path.join(base, "data"), env=env).start()
    yield srv
    crashed = srv.proc is not None and srv.proc.poll() is not None
    srv.stop()
    if crashed:
        kept = tempfile.mkdtemp(prefix="warden-e2e-crash-")
        shutil.copy(srv.log_path, kept)
        print(f"\nwarden exited during the module; its log is in {kept}")
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    yield from module_server()


@pytest.fixture
def fresh_dir():
    base = tempfile.mkdtemp(prefix="warden-e2e-")
    yield os.path.join(base, "data")
    shutil.rmtree(base, ignore_errors=True)


def client(server, service, key=ROOT_KEY, secret=ROOT_SECRET, token=None, region=REGION, validate=True):
    """A boto3 client; validate=False turns off botocore's client-side checks so the server's are tested."""
    return boto3.client(service, endpoint_url=server.endpoint, region_name=region, aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token,
                        config=Config(retries={"max_attempts": 1}, parameter_validation=validate))


@pytest.fixture(scope="module")
def iam(server):
    return client(server, "iam")


@pytest.fixture(scope="module")
def sts(server):
    return client(server, "sts")


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def code(exc_info):
    return exc_info.value.response["Error"]["Code"]


def allow(actions, resources="*", condition=None, effect="Allow"):
    st = {"Effect": effect, "Action": actions, "Resource": resources}
    if condition:
        st["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [st]}


def make_user(iam, name=None, policy=None, path="/"):
    name = name or unique("user")
    iam.create_user(UserName=name, Path=path)
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=json.dumps(policy))
    k = iam.create_access_key(UserName=name)["AccessKey"]
    return name, k["AccessKeyId"], k["SecretAccessKey"]


def aws_cli(server, *args, key=ROOT_KEY, secret=ROOT_SECRET, extra_env=None):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=REGION)
    env.pop("AWS_PROFILE", None)
    env.update(extra_env or {})
    return subprocess.run(["aws", "--endpoint-url", server.endpoint, *args], env=env, capture_output=True, text=True, timeout=120)
