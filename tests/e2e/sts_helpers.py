"""Helpers shared by the STS, MFA and password end-to-end tests: roles with trust policies, clients for
temporary credentials, and virtual MFA devices whose codes are handed out once each (a device refuses a code it
has already accepted, so every use needs a later time step than the last one)."""

import base64
import json
import time
from datetime import datetime, timezone

import pyotp

from conftest import ACCOUNT_ID, client, unique

STEP = 30


def trust(principal, condition=None, actions=("sts:AssumeRole",)):
    """A trust policy allowing `principal` (an AWS principal ARN, or a list of them) the given STS actions."""
    st = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": list(actions)}
    if condition:
        st["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [st]}


def make_role(iam, trust_policy, policy=None, name=None, **kw):
    """Creates a role; returns (name, arn)."""
    name = name or unique("role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust_policy), **kw)
    if policy is not None:
        iam.put_role_policy(RoleName=name, PolicyName="perms", PolicyDocument=json.dumps(policy))
    return name, f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"


def user_arn(name):
    return f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"


def role_arn(name):
    return f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"


def creds_client(server, service, creds, validate=True):
    return client(server, service, creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"], validate=validate)


def now_utc():
    return datetime.now(timezone.utc)


def seconds_left(creds):
    return (creds["Expiration"] - now_utc()).total_seconds()


def seed_text(seed):
    """Base32StringSeed as text (boto3 hands blobs back as bytes)."""
    return seed.decode("ascii") if isinstance(seed, bytes) else seed


class Device:
    """A virtual MFA device and the codes it has consumed."""

    def __init__(self, serial, seed):
        self.serial = serial
        self.seed = seed_text(seed)
        self.totp = pyotp.TOTP(self.seed)
        self.last_step = None

    @staticmethod
    def step_now():
        return int(time.time() // STEP)

    def code(self, step):
        return self.totp.at(step * STEP)

    def enable_codes(self):
        """Two consecutive codes that end at the previous time step (a person types the code shown, waits
        for the next one and types it; by the time the request arrives the second one may be the current one)."""
        s = self.step_now()
        self.last_step = s - 1
        return self.code(s - 2), self.code(s - 1)

    def next_code(self):
        """A code never used before on this device: the current step's, or the next step's when the current one
        was used (a small clock drift is tolerated); waits when both are used up."""
        now = self.step_now()
        want = now if self.last_step is None else max(now, self.last_step + 1)
        while want > self.step_now() + 1:
            time.sleep(STEP - time.time() % STEP + 0.2)
        self.last_step = want
        return self.code(want)


def create_device(iam, name=None, **kw):
    dev = iam.create_virtual_mfa_device(VirtualMFADeviceName=name or unique("mfa"), **kw)["VirtualMFADevice"]
    return Device(dev["SerialNumber"], dev["Base32StringSeed"]), dev


def enable_device(iam, user, name=None):
    """Creates a virtual MFA device and enables it for `user`; returns the Device."""
    device, _ = create_device(iam, name)
    c1, c2 = device.enable_codes()
    iam.enable_mfa_device(UserName=user, SerialNumber=device.serial, AuthenticationCode1=c1, AuthenticationCode2=c2)
    return device


def b32decode(text):
    return base64.b32decode(text + "=" * (-len(text) % 8))


def wrong_code(device):
    """A six-digit code that no nearby time step of the device produces."""
    near = {device.code(device.step_now() + d) for d in range(-3, 4)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 1000000, 111111)) if c not in near)
