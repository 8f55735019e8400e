"""prowler's IAM checks that rest on last-used data give the right findings against Warden (issue 7).

Skipped unless prowler is installed: PROWLER_BIN, or `prowler` on PATH, or the venv scripts/prowler-check makes
(PROWLER_VENV, default ~/.cache/warden/prowler-venv). Not part of scripts/test: installing prowler takes minutes
and about 2.3 GB. Run it with `python3 -m pytest tests/prowler` once scripts/prowler-check has made the venv.
"""

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def prowler_venv():
    return os.environ.get("PROWLER_VENV") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "warden", "prowler-venv")


def find_prowler():
    """(prowler executable, python to run the checker with) or None."""
    venv = prowler_venv()
    if os.path.exists(os.path.join(venv, "bin", "prowler")):
        return os.path.join(venv, "bin", "prowler"), os.path.join(venv, "bin", "python")
    exe = os.environ.get("PROWLER_BIN") or shutil.which("prowler")
    if exe:
        return exe, sys.executable
    return None


def test_prowler_last_used_checks(tmp_path):
    found = find_prowler()
    if not found:
        pytest.skip("prowler is not installed (scripts/prowler-check installs it)")
    binary = os.environ.get("WARDEN_BIN") or os.path.join(ROOT, ".build", "debug", "warden")
    if not os.path.exists(binary):
        pytest.skip(f"no server binary at {binary}")
    prowler, python = found
    p = subprocess.run([python, os.path.join(HERE, "prowler_check.py"), "--prowler", prowler,
                        "--keep", str(tmp_path)], env=dict(os.environ, WARDEN_BIN=binary),
                       capture_output=True, text=True, timeout=1800)
    print(p.stdout)
    assert p.returncode == 0, f"prowler-check exited {p.returncode}\n{p.stdout[-6000:]}\n{p.stderr[-3000:]}"
