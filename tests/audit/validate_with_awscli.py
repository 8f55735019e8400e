#!/usr/bin/env python3
"""Runs the real `aws cloudtrail validate-logs` over audit trees written by WardenAudit.

The fixtures come from the Swift test `AWSCLIFixtureTests` (WardenAuditTests): for each scenario (intact,
and one per kind of tampering) a directory holding

  root/                 the audit root, as the server's DATA_DIR/audit
  manifest.json         the runs to make and what validate-logs must print for each
  listings/*.xml        the ListObjects bodies WardenAudit renders for the exact calls validate-logs makes
  errors/NoSuchKey.xml  WardenAudit's S3 error body
  location.xml          WardenAudit's GetBucketLocation body
  cloudtrail/*.json     ListPublicKeys and DescribeTrails JSON wire bodies built from WardenAudit's values

The AWS CLI runs unchanged through its own entry point (awscli.clidriver). Only the transport is
replaced: a botocore `before-send` hook answers each HTTP request from the fixture directory, so the
validator, botocore's XML and JSON parsers and the CLI's output are all the real ones.

    WARDEN_AUDIT_FIXTURES=/tmp/audit-fixtures swift test --skip-build --filter AWSCLIFixtureTests
    python3 tests/audit/validate_with_awscli.py /tmp/audit-fixtures
"""
import contextlib
import io
import json
import os
import sys
from urllib.parse import parse_qs, unquote, urlsplit

from awscli.clidriver import create_clidriver
from awscli.customizations.cloudtrail import validation
from botocore.awsrequest import AWSResponse


class RawBody:
    """The urllib3-like raw stream botocore reads a response body from."""

    def __init__(self, data):
        self._stream = io.BytesIO(data)

    def stream(self, amt=1024, decode_content=False):
        while True:
            chunk = self._stream.read(amt)
            if not chunk:
                return
            yield chunk

    def read(self, amt=None):
        return self._stream.read() if amt is None else self._stream.read(amt)


class Fixture:
    def __init__(self, directory):
        self.directory = directory
        with open(os.path.join(directory, 'manifest.json')) as f:
            self.manifest = json.load(f)
        self.root = os.path.join(directory, self.manifest['root'])
        self.bucket = self.manifest['bucket']
        self.requests = []

    def read(self, name):
        with open(os.path.join(self.directory, name), 'rb') as f:
            return f.read()

    def respond(self, request, **kwargs):
        """The `before-send` hook: one HTTP response per request, from the fixtures only."""
        url = urlsplit(request.url)
        host = url.netloc.split(':')[0]
        if host.startswith('cloudtrail.'):
            target = request.headers.get('X-Amz-Target', b'')
            target = target.decode() if isinstance(target, bytes) else target
            operation = target.rsplit('.', 1)[-1]
            self.requests.append(f'CloudTrail {operation} {request.body.decode() if request.body else ""}')
            body = {'ListPublicKeys': self.manifest['listPublicKeys'],
                    'DescribeTrails': self.manifest['describeTrails']}.get(operation)
            if body is None:
                raise AssertionError(f'unexpected CloudTrail call {operation}')
            return self.response(request, 200, self.read(body), {'Content-Type': 'application/x-amz-json-1.1'})
        # S3, path-style or virtual-hosted.
        path = unquote(url.path)
        if host.startswith(self.bucket + '.'):
            key = path.lstrip('/')
        else:
            bucket, _, key = path.lstrip('/').partition('/')
            assert bucket == self.bucket, f'unexpected bucket in {request.url}'
        query = parse_qs(url.query, keep_blank_values=True)
        self.requests.append(f'S3 {request.method} {url.path}' + (f'?{unquote(url.query)}' if url.query else ''))
        if not key and 'location' in query:
            return self.response(request, 200, self.read(self.manifest['location']), {})
        if not key:
            prefix = query.get('prefix', [''])[0]
            marker = query.get('marker', [''])[0]
            assert query.get('encoding-type') == ['url'], request.url
            listing = self.manifest['listings'].get(prefix + '\n' + marker)
            if listing is None:
                raise AssertionError(f'no listing rendered for prefix={prefix!r} marker={marker!r}')
            return self.response(request, 200, self.read(listing), {'Content-Type': 'application/xml'})
        assert request.method == 'GET', request.method
        entry = self.manifest['objects'].get(key)
        path = os.path.join(self.root, key)
        if entry is None or not os.path.isfile(path):
            body = self.read(self.manifest['noSuchKey']).replace(b'@KEY@', key.encode())
            return self.response(request, 404, body, {'Content-Type': 'application/xml'})
        with open(path, 'rb') as f:
            data = f.read()
        headers = {'Content-Type': entry['contentType'], 'ETag': entry['etag'], 'Content-Length': str(len(data))}
        if entry.get('contentEncoding'):
            headers['Content-Encoding'] = entry['contentEncoding']
        for name, value in entry['metadata'].items():
            headers['x-amz-meta-' + name] = value
        return self.response(request, 200, data, headers)

    @staticmethod
    def response(request, status, body, headers):
        headers = dict(headers)
        headers.setdefault('x-amz-request-id', 'fixture')
        return AWSResponse(request.url, status, headers, RawBody(body))


def run_validate_logs(fixture, run):
    """`aws cloudtrail validate-logs` for one (account, region); returns (exit code, stdout, stderr)."""
    original = validation.create_nested_client

    def hooked(session, service, **kwargs):
        client = original(session, service, **kwargs)
        client.meta.events.register('before-send', fixture.respond)
        return client

    argv = ['--region', run['region'], 'cloudtrail', 'validate-logs', '--trail-arn', run['trailArn'],
            '--start-time', fixture.manifest['startTime'], '--end-time', fixture.manifest['endTime'], '--verbose']
    stdout, stderr = io.StringIO(), io.StringIO()
    validation.create_nested_client = hooked
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = create_clidriver().main(argv)
    finally:
        validation.create_nested_client = original
    return code, stdout.getvalue(), stderr.getvalue()


def main(directory):
    os.environ.update({'AWS_ACCESS_KEY_ID': 'AKIAFIXTURE0000000000', 'AWS_SECRET_ACCESS_KEY': 'fixture',
                       'AWS_CONFIG_FILE': os.devnull, 'AWS_SHARED_CREDENTIALS_FILE': os.devnull})
    for name in ('AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3'):
        os.environ.pop(name, None)
    failures = 0
    scenarios = sorted(d for d in os.listdir(directory) if os.path.isfile(os.path.join(directory, d, 'manifest.json')))
    if not scenarios:
        print(f'no fixtures in {directory}', file=sys.stderr)
        return 2
    for scenario in scenarios:
        fixture = Fixture(os.path.join(directory, scenario))
        for run in fixture.manifest['runs']:
            before = len(fixture.requests)
            code, out, err = run_validate_logs(fixture, run)
            run_requests = len(fixture.requests) - before
            problems = []
            if code != run['expectExit']:
                problems.append(f'exit code {code}, expected {run["expectExit"]}')
            problems += [f'stdout lacks {s!r}' for s in run['expectStdout'] if s not in out]
            problems += [f'stderr lacks {s!r}' for s in run['expectStderr'] if s not in err]
            if run['expectExit'] == 0 and 'INVALID' in out + err:
                problems.append('reported INVALID files')
            label = f'{scenario:16} {run["account"]} {run["region"]:10}'
            if problems:
                failures += 1
                print(f'FAIL {label}: ' + '; '.join(problems))
                print('  stdout: ' + out.replace('\n', '\n          '))
                print('  stderr: ' + err.replace('\n', '\n          '))
            else:
                summary = [line for line in out.splitlines() if 'files valid' in line]
                verdicts = [line.split('\t')[-1] for line in err.splitlines() if 'INVALID' in line]
                print(f'ok   {label}: exit {code}; ' + '; '.join(summary + verdicts))
    print(f'\nrequests of the last run ({scenario}):')
    for line in fixture.requests[-run_requests:]:
        print('  ' + line)
    print(f'{failures} failure(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
