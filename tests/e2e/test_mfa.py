"""Virtual MFA devices with AWS's semantics, through boto3 and pyotp: creation (seed and QR code), enabling with two
consecutive codes, one use per code, resynchronisation, listing, deactivation, deletion, tags and quotas."""

import struct
import zlib

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT_ID, allow, client, code, make_user, unique
from sts_helpers import Device, b32decode, create_device, enable_device, wrong_code

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def error(call, expected, **kw):
    with pytest.raises(ClientError) as e:
        call(**kw)
    assert code(e) == expected, e.value.response["Error"]
    return e.value.response["Error"]


# --- a small PNG reader, enough to see that QRCodePNG is a QR symbol ------------------------------------------------

def png_pixels(data):
    """Decodes a non-interlaced PNG into rows of booleans (True for dark), checking every chunk's CRC."""
    assert data[:8] == PNG_SIGNATURE
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind}"
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert interlace == 0
    palette = next((b for k, b in chunks if k == b"PLTE"), None)
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color]
    bits_pp = channels * depth
    stride = (width * bits_pp + 7) // 8
    bpp = max(1, bits_pp // 8)
    assert len(raw) == height * (stride + 1)
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            else:
                assert f == 0, f"unknown filter {f}"
        prev = line
        row = []
        for x in range(width):
            if depth < 8:
                byte = line[x * depth // 8]
                shift = 8 - depth - (x * depth % 8)
                v = (byte >> shift) & ((1 << depth) - 1)
                lum = (palette[3 * v] + palette[3 * v + 1] + palette[3 * v + 2]) / 3 if color == 3 else v * 255 / ((1 << depth) - 1)
            else:
                px = line[x * bpp:(x + 1) * bpp]
                if color == 3:
                    lum = sum(palette[3 * px[0]:3 * px[0] + 3]) / 3
                elif color in (0, 4):
                    lum = px[0]
                else:
                    lum = sum(px[:3]) / 3
            row.append(lum < 128)
        rows.append(row)
    return rows


def assert_qr_symbol(rows):
    """Finds the symbol and checks its three finder patterns and the timing pattern between them."""
    top = next(y for y, r in enumerate(rows) if any(r))
    left = rows[top].index(True)
    right = len(rows[top]) - 1 - rows[top][::-1].index(True)
    run = next(i for i, v in enumerate(rows[top][left:] + [False]) if not v)
    module = run / 7
    size = round((right - left + 1) / module)
    assert module >= 1 and size >= 21 and (size - 21) % 4 == 0, (module, size)
    assert left >= 2 * module and top >= 2 * module, "no quiet zone"

    def dark(mx, my):
        return rows[int(top + (my + 0.5) * module)][int(left + (mx + 0.5) * module)]

    def finder_at(mx, my):
        for dy in range(7):
            for dx in range(7):
                ring = max(abs(dx - 3), abs(dy - 3))
                assert dark(mx + dx, my + dy) == (ring != 2), f"finder pattern at module {mx},{my}"
        for i in range(-1, 8):  # the light separator around it, where it is inside the symbol
            for sx, sy in ((mx + i, my - 1), (mx + i, my + 7), (mx - 1, my + i), (mx + 7, my + i)):
                if 0 <= sx < size and 0 <= sy < size:
                    assert not dark(sx, sy), f"separator at module {sx},{sy}"

    finder_at(0, 0)
    finder_at(size - 7, 0)
    finder_at(0, size - 7)
    for i in range(8, size - 8):
        assert dark(i, 6) == (i % 2 == 0) and dark(6, i) == (i % 2 == 0), "timing pattern"
    return size


# --- creation -----------------------------------------------------------------------------------------------------

def test_create_virtual_mfa_device_gives_a_seed_and_a_qr_code(iam):
    name = unique("phone")
    dev = iam.create_virtual_mfa_device(VirtualMFADeviceName=name, Path="/team/",
                                        Tags=[{"Key": "owner", "Value": "ops"}])["VirtualMFADevice"]
    assert dev["SerialNumber"] == f"arn:aws:iam::{ACCOUNT_ID}:mfa/team/{name}"
    seed = dev["Base32StringSeed"]
    seed = seed.decode("ascii") if isinstance(seed, bytes) else seed
    assert seed and set(seed.rstrip("=")) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(b32decode(seed.rstrip("="))) >= 16  # at least 128 bits (RFC 4226 asks for 160)
    png = dev["QRCodePNG"]
    assert png.startswith(PNG_SIGNATURE)
    assert assert_qr_symbol(png_pixels(png)) >= 29  # an otpauth:// URI with a 32-character secret needs version 3+
    assert dev.get("Tags") == [{"Key": "owner", "Value": "ops"}]
    # Each device has its own seed.
    other = iam.create_virtual_mfa_device(VirtualMFADeviceName=unique("phone"))["VirtualMFADevice"]
    assert other["Base32StringSeed"] != dev["Base32StringSeed"]
    assert other["SerialNumber"] == f"arn:aws:iam::{ACCOUNT_ID}:mfa/" + other["SerialNumber"].split("/")[-1]
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    mine = [d for d in unassigned if d["SerialNumber"] == dev["SerialNumber"]]
    assert len(mine) == 1 and "User" not in mine[0] and "EnableDate" not in mine[0]
    # The seed is only ever handed out once.
    assert "Base32StringSeed" not in mine[0] and "QRCodePNG" not in mine[0]
    error(iam.create_virtual_mfa_device, "EntityAlreadyExists", VirtualMFADeviceName=name, Path="/team/")


# --- enabling -----------------------------------------------------------------------------------------------------

def test_enable_needs_two_consecutive_codes(iam):
    user = unique("u")
    iam.create_user(UserName=user)
    device, _ = create_device(iam)
    s = Device.step_now()
    c = device.code
    for c1, c2 in [(wrong_code(device), wrong_code(device)),   # not codes of this device
                   (c(s - 1), c(s - 1)),                        # the same code twice
                   (c(s), c(s - 1)),                            # the right codes in the wrong order
                   (c(s - 3), c(s - 1))]:                       # not consecutive
        error(iam.enable_mfa_device, "InvalidAuthenticationCode", UserName=user, SerialNumber=device.serial,
              AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert iam.list_mfa_devices(UserName=user)["MFADevices"] == []
    c1, c2 = device.enable_codes()
    error(iam.enable_mfa_device, "NoSuchEntity", UserName=unique("ghost"), SerialNumber=device.serial,
          AuthenticationCode1=c1, AuthenticationCode2=c2)
    error(iam.enable_mfa_device, "NoSuchEntity", UserName=user, SerialNumber=f"arn:aws:iam::{ACCOUNT_ID}:mfa/{unique('none')}",
          AuthenticationCode1=c1, AuthenticationCode2=c2)
    iam.enable_mfa_device(UserName=user, SerialNumber=device.serial, AuthenticationCode1=c1, AuthenticationCode2=c2)
    listed = iam.list_mfa_devices(UserName=user)["MFADevices"]
    assert [(d["UserName"], d["SerialNumber"]) for d in listed] == [(user, device.serial)] and "EnableDate" in listed[0]
    # A device belongs to one user at a time.
    other = unique("u")
    iam.create_user(UserName=other)
    error(iam.enable_mfa_device, "EntityAlreadyExists", UserName=other, SerialNumber=device.serial,
          AuthenticationCode1=c1, AuthenticationCode2=c2)


def test_a_code_is_accepted_only_once(server, iam):
    user, key, secret = make_user(iam)
    device = enable_device(iam, user)
    sts = client(server, "sts", key, secret)
    # The second code used to enable the device is spent.
    error(sts.get_session_token, "AccessDenied", SerialNumber=device.serial, TokenCode=device.code(device.last_step))
    fresh = device.next_code()
    sts.get_session_token(SerialNumber=device.serial, TokenCode=fresh, DurationSeconds=900)
    error(sts.get_session_token, "AccessDenied", SerialNumber=device.serial, TokenCode=fresh, DurationSeconds=900)
    sts.get_session_token(SerialNumber=device.serial, TokenCode=device.next_code(), DurationSeconds=900)


def test_users_manage_their_own_device_with_the_aws_self_service_policy(server, iam):
    # The policy from the IAM User Guide that lets users manage their own MFA device.
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
         "Resource": "arn:aws:iam::*:mfa/${aws:username}"},
        {"Effect": "Allow", "Action": ["iam:EnableMFADevice", "iam:DeactivateMFADevice", "iam:ResyncMFADevice",
                                       "iam:ListMFADevices"],
         "Resource": "arn:aws:iam::*:user/${aws:username}"},
        {"Effect": "Allow", "Action": "iam:ListVirtualMFADevices", "Resource": "*"}]}
    user, key, secret = make_user(iam, policy=policy)
    own = client(server, "iam", key, secret)
    error(own.create_virtual_mfa_device, "AccessDenied", VirtualMFADeviceName=unique("not-mine"))
    device, _ = create_device(own, name=user)
    c1, c2 = device.enable_codes()
    other = unique("u")
    iam.create_user(UserName=other)
    error(own.enable_mfa_device, "AccessDenied", UserName=other, SerialNumber=device.serial,
          AuthenticationCode1=c1, AuthenticationCode2=c2)
    own.enable_mfa_device(UserName=user, SerialNumber=device.serial, AuthenticationCode1=c1, AuthenticationCode2=c2)
    # Without a user name, ListMFADevices lists the caller's devices.
    assert [d["SerialNumber"] for d in own.list_mfa_devices()["MFADevices"]] == [device.serial]
    error(own.list_mfa_devices, "AccessDenied", UserName=other)
    own.deactivate_mfa_device(UserName=user, SerialNumber=device.serial)
    own.delete_virtual_mfa_device(SerialNumber=device.serial)


# --- resync -------------------------------------------------------------------------------------------------------

def test_resync_mfa_device(server, iam):
    user, key, secret = make_user(iam)
    device = enable_device(iam, user)
    s = Device.step_now()
    error(iam.resync_mfa_device, "InvalidAuthenticationCode", UserName=user, SerialNumber=device.serial,
          AuthenticationCode1=wrong_code(device), AuthenticationCode2=wrong_code(device))
    error(iam.resync_mfa_device, "InvalidAuthenticationCode", UserName=user, SerialNumber=device.serial,
          AuthenticationCode1=device.code(s + 1), AuthenticationCode2=device.code(s))
    other, _, _ = make_user(iam)
    error(iam.resync_mfa_device, "NoSuchEntity", UserName=other, SerialNumber=device.serial,
          AuthenticationCode1=device.code(s), AuthenticationCode2=device.code(s + 1))
    iam.resync_mfa_device(UserName=user, SerialNumber=device.serial,
                          AuthenticationCode1=device.code(s), AuthenticationCode2=device.code(s + 1))
    device.last_step = s + 1
    client(server, "sts", key, secret).get_session_token(SerialNumber=device.serial, TokenCode=device.next_code(), DurationSeconds=900)


def test_resync_adopts_a_drifted_device_clock(server, iam):
    # A device whose clock runs four minutes ahead: after a resync, the codes it shows are accepted.
    user, key, secret = make_user(iam)
    device = enable_device(iam, user)
    drift = 8
    s = Device.step_now() + drift
    iam.resync_mfa_device(UserName=user, SerialNumber=device.serial,
                          AuthenticationCode1=device.code(s), AuthenticationCode2=device.code(s + 1))
    client(server, "sts", key, secret).get_session_token(
        SerialNumber=device.serial, TokenCode=device.code(max(s + 2, Device.step_now() + drift)), DurationSeconds=900)


# --- listing and reading ------------------------------------------------------------------------------------------

def test_list_virtual_mfa_devices_by_assignment_status(iam):
    user = unique("u")
    iam.create_user(UserName=user)
    assigned = enable_device(iam, user)
    spare, _ = create_device(iam)

    def serials(**kw):
        return {d["SerialNumber"]: d for p in iam.get_paginator("list_virtual_mfa_devices").paginate(**kw)
                for d in p["VirtualMFADevices"]}

    got = serials(AssignmentStatus="Assigned")
    assert assigned.serial in got and spare.serial not in got
    d = got[assigned.serial]
    assert d["User"]["UserName"] == user and d["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"
    assert "EnableDate" in d
    got = serials(AssignmentStatus="Unassigned")
    assert spare.serial in got and assigned.serial not in got and "User" not in got[spare.serial]
    assert {assigned.serial, spare.serial} <= set(serials(AssignmentStatus="Any"))
    assert {assigned.serial, spare.serial} <= set(serials())  # Any is the default
    # Pagination with MaxItems and Marker.
    page = iam.list_virtual_mfa_devices(MaxItems=1)
    assert len(page["VirtualMFADevices"]) == 1 and page["IsTruncated"] is True and page["Marker"]
    nxt = iam.list_virtual_mfa_devices(MaxItems=1, Marker=page["Marker"])
    assert nxt["VirtualMFADevices"][0]["SerialNumber"] != page["VirtualMFADevices"][0]["SerialNumber"]


def test_list_and_get_mfa_devices_of_a_user(iam):
    user = unique("u")
    iam.create_user(UserName=user)
    first, second = enable_device(iam, user), enable_device(iam, user)
    listed = iam.list_mfa_devices(UserName=user)["MFADevices"]
    assert sorted(d["SerialNumber"] for d in listed) == sorted([first.serial, second.serial])
    assert all(d["UserName"] == user and "EnableDate" in d for d in listed)
    page = iam.list_mfa_devices(UserName=user, MaxItems=1)
    assert len(page["MFADevices"]) == 1 and page["IsTruncated"] is True
    error(iam.list_mfa_devices, "NoSuchEntity", UserName=unique("ghost"))
    # GetMFADevice (AWS documents it for FIDO security keys; for a virtual device it answers the same fields).
    got = iam.get_mfa_device(SerialNumber=first.serial, UserName=user)
    assert got["SerialNumber"] == first.serial and got["UserName"] == user and "EnableDate" in got
    error(iam.get_mfa_device, "NoSuchEntity", SerialNumber=f"arn:aws:iam::{ACCOUNT_ID}:mfa/{unique('none')}", UserName=user)


# --- deactivation and deletion ------------------------------------------------------------------------------------

def test_deactivate_and_delete(server, iam):
    user, key, secret = make_user(iam)
    device = enable_device(iam, user)
    # An enabled device cannot be deleted, nor can its user.
    error(iam.delete_virtual_mfa_device, "DeleteConflict", SerialNumber=device.serial)
    iam.delete_access_key(UserName=user, AccessKeyId=key)
    error(iam.delete_user, "DeleteConflict", UserName=user)
    other = unique("u")
    iam.create_user(UserName=other)
    error(iam.deactivate_mfa_device, "NoSuchEntity", UserName=other, SerialNumber=device.serial)
    iam.deactivate_mfa_device(UserName=user, SerialNumber=device.serial)
    assert iam.list_mfa_devices(UserName=user)["MFADevices"] == []
    unassigned = {d["SerialNumber"] for d in iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]}
    assert device.serial in unassigned
    error(iam.deactivate_mfa_device, "NoSuchEntity", UserName=user, SerialNumber=device.serial)
    iam.delete_user(UserName=user)
    iam.delete_virtual_mfa_device(SerialNumber=device.serial)
    assert device.serial not in {d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]}
    error(iam.delete_virtual_mfa_device, "NoSuchEntity", SerialNumber=device.serial)


def test_deactivated_device_no_longer_satisfies_mfa(server, iam):
    user, key, secret = make_user(iam)
    device = enable_device(iam, user)
    sts = client(server, "sts", key, secret)
    sts.get_session_token(SerialNumber=device.serial, TokenCode=device.next_code(), DurationSeconds=900)
    iam.deactivate_mfa_device(UserName=user, SerialNumber=device.serial)
    error(sts.get_session_token, "AccessDenied", SerialNumber=device.serial, TokenCode=device.next_code(), DurationSeconds=900)


# --- tags and quotas ----------------------------------------------------------------------------------------------

def test_tags_on_mfa_devices(iam):
    device, dev = create_device(iam, Tags=[{"Key": "env", "Value": "prod"}])
    assert iam.list_mfa_device_tags(SerialNumber=device.serial)["Tags"] == [{"Key": "env", "Value": "prod"}]
    iam.tag_mfa_device(SerialNumber=device.serial, Tags=[{"Key": "team", "Value": "sec"}, {"Key": "env", "Value": "dev"}])
    tags = {t["Key"]: t["Value"] for t in iam.list_mfa_device_tags(SerialNumber=device.serial)["Tags"]}
    assert tags == {"env": "dev", "team": "sec"}
    iam.untag_mfa_device(SerialNumber=device.serial, TagKeys=["env"])
    assert iam.list_mfa_device_tags(SerialNumber=device.serial)["Tags"] == [{"Key": "team", "Value": "sec"}]
    missing = f"arn:aws:iam::{ACCOUNT_ID}:mfa/{unique('none')}"
    error(iam.tag_mfa_device, "NoSuchEntity", SerialNumber=missing, Tags=[{"Key": "a", "Value": "b"}])
    error(iam.list_mfa_device_tags, "NoSuchEntity", SerialNumber=missing)
    error(iam.tag_mfa_device, "LimitExceeded", SerialNumber=device.serial,
          Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])


def test_tag_conditions_apply_to_mfa_devices(server, iam):
    # aws:RequestTag on CreateVirtualMFADevice, as for any taggable resource.
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice", "iam:TagMFADevice"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestTag/team": "sec"}}}]}
    _, key, secret = make_user(iam, policy=policy)
    c = client(server, "iam", key, secret)
    error(c.create_virtual_mfa_device, "AccessDenied", VirtualMFADeviceName=unique("t"))
    c.create_virtual_mfa_device(VirtualMFADeviceName=unique("t"), Tags=[{"Key": "team", "Value": "sec"}])


def test_at_most_eight_devices_per_user(iam):
    user = unique("u")
    iam.create_user(UserName=user)
    for _ in range(8):
        enable_device(iam, user)
    assert len(iam.list_mfa_devices(UserName=user)["MFADevices"]) == 8
    ninth, _ = create_device(iam)
    c1, c2 = ninth.enable_codes()
    error(iam.enable_mfa_device, "LimitExceeded", UserName=user, SerialNumber=ninth.serial,
          AuthenticationCode1=c1, AuthenticationCode2=c2)
    # Another user is not affected.
    other = unique("u")
    iam.create_user(UserName=other)
    iam.enable_mfa_device(UserName=other, SerialNumber=ninth.serial, AuthenticationCode1=c1, AuthenticationCode2=c2)


def test_mfa_operations_are_authorized(server, iam):
    user, key, secret = make_user(iam, policy=allow("iam:ListUsers"))
    c = client(server, "iam", key, secret)
    error(c.create_virtual_mfa_device, "AccessDenied", VirtualMFADeviceName=unique("x"))
    error(c.list_virtual_mfa_devices, "AccessDenied")
    device, _ = create_device(iam)
    error(c.delete_virtual_mfa_device, "AccessDenied", SerialNumber=device.serial)
    c1, c2 = device.enable_codes()
    error(c.enable_mfa_device, "AccessDenied", UserName=user, SerialNumber=device.serial, AuthenticationCode1=c1, AuthenticationCode2=c2)
    assert iam.list_mfa_devices(UserName=user)["MFADevices"] == []
