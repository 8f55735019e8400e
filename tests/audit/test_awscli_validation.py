"""pytest entry for the validate-logs compatibility check (see validate_with_awscli.py).

Needs the Swift tests built (`swift build --build-tests`); writes the fixtures with the Swift test
`AWSCLIFixtureTests` into a temporary directory, then runs the real `aws cloudtrail validate-logs` over them.
"""
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CHECKOUT = HERE.parents[1]


def test_validate_logs_accepts_warden_audit_files_and_catches_tampering(tmp_path):
    env = dict(os.environ, WARDEN_AUDIT_FIXTURES=str(tmp_path))
    subprocess.run(['swift', 'test', '--skip-build', '--filter', 'AWSCLIFixtureTests'], cwd=CHECKOUT, env=env,
                   check=True, capture_output=True)
    result = subprocess.run([sys.executable, str(HERE / 'validate_with_awscli.py'), str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
