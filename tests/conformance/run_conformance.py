#!/usr/bin/python3
"""Run upstream Placement's functional tests (gabbi YAML) against a live Placement server.

For every YAML file of the suite (upstream placement 8.0.0, ``placement/tests/functional/gabbits``)
this runner:

1. starts a fresh server on an empty database (the command comes from a template, see
   ``--server-cmd``; ``{tmpdir}`` is a new temporary directory per file), configured as the file's
   fixtures imply (CORS for ``CORSFixture``), and reads its URL from the line it prints
   (``... listening on http://HOST:PORT ...``);
2. runs the file with gabbi (Debian's python3-gabbi) with ``live_fixtures`` as the fixture module:
   the classes named under ``fixtures:`` seed the file's data over HTTP and export the
   environment variables the YAML uses, so the files run unmodified;
3. stops the server (SIGTERM) and deletes the temporary directory.

Files ``*-policy.yaml``, ``*-legacy-rbac.yaml`` and ``*-secure-rbac.yaml`` are not covered (they
need authentication and policy, which come later) unless named with ``--only``.

Known failures are listed in ``expected-failures.txt`` (``<file>::<test name>  # reason``). The
runner prints one line per file and ends with ``N passed, N failed`` (``, N skipped`` if any). It
exits non-zero on any unexpected failure, or when a listed failure passes (remove it from the
list). ``--report`` prints every failing test with its reason and always exits 0 (development).
When the suite directory does not exist it prints ``conformance suite not found at ...: NOT RUN``
and exits 77 (ctest: "not run", never "passed").
"""

import argparse
import fnmatch
import glob
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SUITE = os.path.normpath(
    os.path.join(PROJECT_ROOT, '..', 'shared', 'conformance', 'placement-8.0.0'))
SUITE_ENV = 'PLACEMENT_CONFORMANCE_DIR'
SERVER_CMD_ENV = 'PLACEMENT_CONFORMANCE_SERVER_CMD'

EXCLUDED_PATTERNS = ('*-policy.yaml', '*-legacy-rbac.yaml', '*-secure-rbac.yaml')

OURS_TEMPLATE = ('{bin} serve --listen 127.0.0.1:0 --database sqlite:///{tmpdir}/p.db '
                 '--migrate-on-start')
UPSTREAM_TEMPLATE = ('/usr/bin/python3 %s --listen 127.0.0.1:0 '
                     '--database sqlite:///{tmpdir}/p.db'
                     % shlex.quote(os.path.join(HERE, 'upstream_server.py')))
OURS_CORS_ARGS = ('--cors-allowed-origin {cors_allowed_origin} '
                  '--cors-allow-headers {cors_allow_headers}')
UPSTREAM_CORS_ARGS = ('--cors-allowed-origin {cors_allowed_origin} '
                      '--cors-allow-headers {cors_allow_headers}')

EXIT_NOT_RUN = 77
LISTEN_RE = re.compile(r'listening on (https?://[^\s,;)]+)')


# ---------------------------------------------------------------------------------------------
# Expected failures
# ---------------------------------------------------------------------------------------------

class ExpectedFailures(object):
    """``<file>::<test name>  # reason`` per line; ``#`` comments and blank lines ignored.

    ``<file>::*  # reason`` marks every test of a file (for a file that cannot run at all).
    """

    def __init__(self, path):
        self.path = path
        self.entries = {}   # (file, test name) -> reason
        self.problems = []
        if not path or not os.path.exists(path):
            return
        with open(path, encoding='utf-8') as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.strip()
                if not line or line.startswith('#'):
                    continue
                entry, sep, reason = line.partition('  #')
                if not sep:
                    entry, sep, reason = line.partition(' #')
                entry = entry.strip()
                reason = reason.strip()
                if '::' not in entry:
                    self.problems.append('%s:%d: expected "<file>::<test name>  # reason"'
                                         % (path, lineno))
                    continue
                fname, test = entry.split('::', 1)
                if not reason:
                    self.problems.append('%s:%d: no reason given for %s'
                                         % (path, lineno, entry))
                self.entries[(fname.strip(), test.strip())] = reason or '(no reason given)'

    def reason(self, fname, test):
        if (fname, test) in self.entries:
            return self.entries[(fname, test)]
        return self.entries.get((fname, '*'))

    def for_file(self, fname):
        return {t: r for (f, t), r in self.entries.items() if f == fname}


# ---------------------------------------------------------------------------------------------
# Server process
# ---------------------------------------------------------------------------------------------

class ServerError(Exception):
    pass


class Server(object):
    def __init__(self, argv, tmpdir, env=None, start_timeout=60.0, stop_timeout=10.0):
        self.argv = argv
        self.tmpdir = tmpdir
        self.out_path = os.path.join(tmpdir, 'server.stdout')
        self.err_path = os.path.join(tmpdir, 'server.stderr')
        self.env = env
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.proc = None
        self.url = None
        self.killed = False
        self.timed_out = False

    def start(self):
        self._out = open(self.out_path, 'wb')
        self._err = open(self.err_path, 'wb')
        try:
            self.proc = subprocess.Popen(self.argv, stdout=self._out, stderr=self._err,
                                         stdin=subprocess.DEVNULL, env=self.env,
                                         cwd=self.tmpdir)
        except OSError as exc:
            raise ServerError('cannot start %s: %s' % (self.argv[0], exc))
        deadline = time.monotonic() + self.start_timeout
        delay = 0.005
        while time.monotonic() < deadline:
            with open(self.out_path, 'rb') as fh:
                m = LISTEN_RE.search(fh.read().decode('utf-8', 'replace'))
            if m:
                self.url = m.group(1).rstrip('/')
                return self.url
            if self.proc.poll() is not None:
                raise ServerError('server exited with status %s before listening; stderr: %s'
                                  % (self.proc.returncode, self.stderr_tail()))
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
        self.stop()
        raise ServerError('server printed no "listening on http://..." line within %.0fs'
                          % self.start_timeout)

    def kill_for_timeout(self):
        if self.alive():
            self.timed_out = True
            self.proc.kill()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.killed = True
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        self._err.close()
        return self.proc.returncode

    def stderr_tail(self, n=15):
        try:
            with open(self.err_path, 'rb') as fh:
                lines = fh.read().decode('utf-8', 'replace').splitlines()
        except OSError:
            return ''
        return ' | '.join(lines[-n:]) if lines else '(empty)'


# ---------------------------------------------------------------------------------------------
# Running one file
# ---------------------------------------------------------------------------------------------

class CollectingResult(unittest.TestResult):
    """Outcome per gabbi test name: ('pass'|'fail'|'skip', reason)."""

    def __init__(self):
        super(CollectingResult, self).__init__()
        self.outcomes = {}
        self.order = []
        self.fixture_error = None
        self._last_error = None
        self.durations = {}
        self._started = None

    def startTest(self, test):
        super(CollectingResult, self).startTest(test)
        self._started = time.monotonic()

    def stopTest(self, test):
        super(CollectingResult, self).stopTest(test)
        if self._started is not None:
            self.durations[self._name(test)] = time.monotonic() - self._started

    @staticmethod
    def _name(test):
        data = getattr(test, 'test_data', None)
        if data:
            return data['name']
        return str(test)

    def _set(self, test, outcome, reason):
        name = self._name(test)
        if name not in self.outcomes:
            self.order.append(name)
        prev = self.outcomes.get(name)
        # A failure recorded earlier (e.g. fixture error) wins over a later skip.
        if prev and prev[0] == 'fail' and outcome == 'skip':
            return
        self.outcomes[name] = (outcome, reason)

    def addSuccess(self, test):
        super(CollectingResult, self).addSuccess(test)
        self._set(test, 'pass', '')

    def addFailure(self, test, err):
        super(CollectingResult, self).addFailure(test, err)
        self._set(test, 'fail', summarize_exc(err))

    def addError(self, test, err):
        super(CollectingResult, self).addError(test, err)
        self._last_error = summarize_exc(err)
        self._set(test, 'fail', 'error: ' + self._last_error)

    def addSkip(self, test, reason):
        super(CollectingResult, self).addSkip(test, reason)
        if reason == 'fixture failure':
            # GabbiSuite: a fixture raised; it reported the exception as an error of the
            # file's first test, then skips every test of the file.
            if self.fixture_error is None:
                self.fixture_error = self._last_error or 'unknown error'
            return
        self._set(test, 'skip', reason)

    def addExpectedFailure(self, test, err):
        # gabbi ``xfail: true`` (not used by upstream's files): it behaves as documented.
        super(CollectingResult, self).addExpectedFailure(test, err)
        self._set(test, 'pass', '')

    def addUnexpectedSuccess(self, test):
        super(CollectingResult, self).addUnexpectedSuccess(test)
        self._set(test, 'fail', 'gabbi xfail test unexpectedly passed')


def summarize_exc(err):
    """One line: the assertion message with the response it quotes, whitespace collapsed."""
    exc_type, exc, _ = err
    text = str(exc) if exc is not None else ''
    name = exc_type.__name__ if exc_type else 'Error'
    text = ' '.join(text.split())
    if not text:
        return name
    if exc_type is not None and not issubclass(exc_type, AssertionError):
        text = '%s: %s' % (name, text)
    if len(text) > 400:
        text = text[:397] + '...'
    return text


def file_fixtures(suite_dict):
    return list(suite_dict.get('fixtures') or [])


def server_config_for(fixture_names, fixture_module):
    cfg = {}
    for name in fixture_names:
        cls = getattr(fixture_module, name, None)
        if cls is not None:
            cfg.update(getattr(cls, 'server_config', {}) or {})
    return cfg


def build_file_suite(path, suite_dict, host, port, prefix, fixture_module):
    """gabbi.driver.build_tests() for a single file (build_tests globs a whole directory)."""
    from gabbi import handlers
    from gabbi import suitemaker

    handler_objects = [h() for h in handlers.RESPONSE_HANDLERS]
    test_base_name = os.path.splitext(os.path.basename(path))[0]
    loader = unittest.TestLoader()
    return suitemaker.test_suite_from_dict(
        loader, test_base_name, suite_dict, os.path.dirname(path), host, port,
        fixture_module, None, prefix=prefix, handlers=handler_objects,
        test_loader_name='conformance')


def run_file(path, args, fixture_module):
    """Returns (ordered test names, outcomes dict, durations dict, notes list)."""
    from gabbi import utils as gabbi_utils
    import urllib.parse

    fname = os.path.basename(path)
    suite_dict = gabbi_utils.load_yaml(yaml_file=path)
    names = [t['name'] for t in suite_dict.get('tests', [])]
    fixtures = file_fixtures(suite_dict)
    cfg = server_config_for(fixtures, fixture_module)
    notes = []

    argv = shlex.split(args.server_cmd) + shlex.split(args.server_args or '')
    if cfg.get('cors_allowed_origin'):
        if args.cors_args:
            argv += shlex.split(args.cors_args)
        else:
            notes.append('no --cors-args for this server: started without CORS configuration')
    if cfg.get('policy'):
        notes.append('policy fixture %s: runner starts the server with default policy'
                     % cfg['policy'])

    tmpdir = tempfile.mkdtemp(prefix='conformance-%s-' % os.path.splitext(fname)[0])
    subst = {'tmpdir': tmpdir, 'bin': args.binary or '',
             'cors_allowed_origin': cfg.get('cors_allowed_origin', ''),
             'cors_allow_headers': cfg.get('cors_allow_headers', '')}
    argv = [a.format(**subst) for a in argv]
    env = dict(os.environ)
    for k, v in cfg.items():
        if k.startswith('cors_'):
            env['PLACEMENT_CONFORMANCE_' + k.upper()] = v
    server = Server(argv, tmpdir, env=env, start_timeout=args.start_timeout,
                    stop_timeout=args.stop_timeout)
    outcomes = {}
    durations = {}
    try:
        try:
            url = server.start()
        except ServerError as exc:
            for n in names:
                outcomes[n] = ('fail', 'server did not start: %s' % exc)
            return names, outcomes, {}, notes
        parts = urllib.parse.urlsplit(url)
        fixture_module.BASE_URL = url
        suite = build_file_suite(path, suite_dict, parts.hostname, parts.port or 80,
                                 parts.path.rstrip('/'), fixture_module)
        result = CollectingResult()
        watchdog = threading.Timer(args.file_timeout, server.kill_for_timeout)
        watchdog.daemon = True
        watchdog.start()
        try:
            suite.run(result)
        finally:
            watchdog.cancel()
        if server.timed_out:
            notes.append('file took over %gs: server killed, the remaining tests failed'
                          % args.file_timeout)
        fixture_module.BASE_URL = None
        outcomes = dict(result.outcomes)
        durations = result.durations
        if result.fixture_error:
            for n in names:
                outcomes[n] = ('fail', 'fixture failed: %s' % result.fixture_error)
        for n in names:
            outcomes.setdefault(n, ('fail', 'test did not run'))
        if not server.alive() and not server.timed_out:
            notes.append('server exited with status %s during the file; stderr: %s'
                         % (server.proc.returncode, server.stderr_tail()))
    finally:
        server.stop()
        if server.killed:
            notes.append('server did not exit within %gs of SIGTERM; killed' % args.stop_timeout)
        if args.keep:
            notes.append('kept %s' % tmpdir)
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return names, outcomes, durations, notes


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def select_files(suite_dir, only):
    all_files = sorted(glob.glob(os.path.join(suite_dir, '*.yaml')))
    if only:
        wanted = []
        for item in only.split(','):
            item = item.strip()
            if not item:
                continue
            if not item.endswith('.yaml') and not any(c in item for c in '*?['):
                item += '.yaml'
            matched = [f for f in all_files if fnmatch.fnmatch(os.path.basename(f), item)]
            if not matched:
                raise SystemExit('--only: no file %s in %s' % (item, suite_dir))
            wanted.extend(m for m in matched if m not in wanted)
        return wanted
    return [f for f in all_files
            if not any(fnmatch.fnmatch(os.path.basename(f), p) for p in EXCLUDED_PATTERNS)]


def parse_args(argv):
    p = argparse.ArgumentParser(
        description='Run upstream Placement 8.0.0 gabbi files against a live server.',
        epilog='Example: run_conformance.py --binary build/service/vgpu-placement; '
               'run_conformance.py --target upstream (needs python3-placement).')
    p.add_argument('--binary', help='our vgpu-placement binary; the server command is "%s"'
                   % OURS_TEMPLATE)
    p.add_argument('--target', choices=('ours', 'upstream'), default=None,
                   help='upstream: serve Debian\'s python3-placement 8.0.0 (upstream_server.py) '
                        'and use expected-failures-upstream.txt')
    p.add_argument('--server-cmd', default=os.environ.get(SERVER_CMD_ENV),
                   help='server command template ({tmpdir}, {bin}); env %s' % SERVER_CMD_ENV)
    p.add_argument('--server-args', default='',
                   help='extra arguments appended to the server command for every file, e.g. '
                        '"--max-microversion 1.39"')
    p.add_argument('--cors-args', default=None,
                   help='extra arguments for files whose fixture configures CORS '
                        '({cors_allowed_origin}, {cors_allow_headers}); default with --binary: '
                        '"%s"; "" for none. The server also gets env '
                        'PLACEMENT_CONFORMANCE_CORS_ALLOWED_ORIGIN/_ALLOW_HEADERS' % OURS_CORS_ARGS)
    p.add_argument('--suite-dir', default=os.environ.get(SUITE_ENV, DEFAULT_SUITE),
                   help='directory of the upstream YAML files (env %s; default %s)'
                        % (SUITE_ENV, DEFAULT_SUITE))
    p.add_argument('--only', help='comma-separated file names (or globs) to run, '
                                  'e.g. resource-provider.yaml,traits.yaml')
    p.add_argument('--expected-failures', default=None,
                   help='expected failures list (default: expected-failures.txt, or '
                        'expected-failures-upstream.txt with --target upstream)')
    p.add_argument('--report', action='store_true',
                   help='print every failing test with its reason; always exit 0')
    p.add_argument('--keep', action='store_true', help='keep each file\'s server dir and logs')
    p.add_argument('--start-timeout', type=float, default=60.0,
                   help='seconds to wait for the server\'s "listening on" line (default 60)')
    p.add_argument('--stop-timeout', type=float, default=10.0,
                   help='seconds to wait for the server to exit after SIGTERM before killing '
                        'it (default 10)')
    p.add_argument('--file-timeout', type=float, default=300.0,
                   help='seconds one file may take; then its server is killed (default 300)')
    p.add_argument('-v', '--verbose', action='store_true',
                   help='print every test outcome')
    args = p.parse_args(argv)

    target = args.target
    if target is None:
        target = 'ours' if (args.binary or args.server_cmd) else None
    if target is None:
        p.error('give --binary PATH, --server-cmd TEMPLATE (or env %s), or --target upstream'
                % SERVER_CMD_ENV)
    args.target = target
    if args.binary:
        args.binary = os.path.abspath(args.binary)
    if not args.server_cmd:
        if target == 'upstream':
            args.server_cmd = UPSTREAM_TEMPLATE
        elif args.binary:
            args.server_cmd = OURS_TEMPLATE
        else:
            p.error('--target ours needs --binary or --server-cmd')
    if args.cors_args is None:
        if target == 'upstream':
            args.cors_args = UPSTREAM_CORS_ARGS
        elif args.binary and args.server_cmd == OURS_TEMPLATE:
            args.cors_args = OURS_CORS_ARGS
    if args.expected_failures is None:
        args.expected_failures = os.path.join(
            HERE, 'expected-failures-upstream.txt' if target == 'upstream'
            else 'expected-failures.txt')
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    if not os.path.isdir(args.suite_dir) or not glob.glob(os.path.join(args.suite_dir, '*.yaml')):
        print('conformance suite not found at %s: NOT RUN' % args.suite_dir)
        return EXIT_NOT_RUN
    try:
        import gabbi  # noqa: F401
    except ImportError:
        print('python3-gabbi is not installed (apt-get install python3-gabbi; use '
              '/usr/bin/python3): NOT RUN')
        return 1
    if args.target == 'upstream' and args.server_cmd == UPSTREAM_TEMPLATE:
        try:
            import placement.deploy  # noqa: F401
        except ImportError as exc:
            print('upstream Placement is not importable (%s; apt-get install '
                  'python3-placement): NOT RUN' % exc)
            return 1
    if args.binary and not os.access(args.binary, os.X_OK):
        print('server binary %s not found or not executable: NOT RUN' % args.binary)
        return 1

    sys.path.insert(0, HERE)
    import live_fixtures

    files = select_files(args.suite_dir, args.only)
    xfail = ExpectedFailures(args.expected_failures)
    for prob in xfail.problems:
        print('expected-failures: %s' % prob)

    print('conformance: %d files from %s' % (len(files), args.suite_dir))
    print('server: %s' % args.server_cmd)
    t0 = time.monotonic()
    totals = {'pass': 0, 'fail': 0, 'skip': 0}
    unexpected_fail = []
    unexpected_pass = []
    expected_fail = []
    stale = []
    failures_report = []
    file_sizes = {}

    for path in files:
        fname = os.path.basename(path)
        tf = time.monotonic()
        names, outcomes, durations, notes = run_file(path, args, live_fixtures)
        file_sizes[fname] = len(names)
        counts = {'pass': 0, 'fail': 0, 'skip': 0}
        file_xfail = 0
        file_unexp = []
        file_xpass = []
        for n in names:
            outcome, reason = outcomes[n]
            counts[outcome] += 1
            why = xfail.reason(fname, n)
            if outcome == 'fail':
                failures_report.append((fname, n, reason, why))
                if why is not None:
                    file_xfail += 1
                    expected_fail.append((fname, n))
                else:
                    file_unexp.append(n)
                    unexpected_fail.append((fname, n, reason))
            elif outcome == 'pass' and why is not None:
                file_xpass.append(n)
                unexpected_pass.append((fname, n, why))
            if args.verbose:
                print('    %-4s %6.3fs %s%s' % (outcome.upper(), durations.get(n, 0.0), n,
                                               (' -- ' + reason) if reason else ''))
        for t in xfail.for_file(fname):
            if t != '*' and t not in outcomes:
                stale.append((fname, t))
        for k in totals:
            totals[k] += counts[k]
        status = 'ok' if not file_unexp and not file_xpass else 'FAIL'
        line = '%-4s %-48s %3d passed, %3d failed' % (status, fname, counts['pass'],
                                                      counts['fail'])
        if file_xfail:
            line += ' (%d expected)' % file_xfail
        if counts['skip']:
            line += ', %d skipped' % counts['skip']
        if file_xpass:
            line += ', %d UNEXPECTED PASS' % len(file_xpass)
        line += '  [%.1fs]' % (time.monotonic() - tf)
        print(line, flush=True)
        for note in notes:
            print('     note: %s' % note)
        if not args.report:
            for n in file_unexp:
                print('     FAILED %s::%s -- %s' % (fname, n, outcomes[n][1]))
            for n in file_xpass:
                print('     UNEXPECTED PASS %s::%s (listed: %s) -- remove it from %s'
                      % (fname, n, xfail.reason(fname, n),
                         os.path.basename(args.expected_failures)))

    if args.report and failures_report:
        print()
        print('Failing tests (file::test -- reason [expected: listed reason]):')
        by_file = {}
        for item in failures_report:
            by_file.setdefault(item[0], []).append(item)
        for fname, items in by_file.items():
            reasons = set(r for _, _, r, _ in items)
            if len(items) == file_sizes[fname] and len(reasons) == 1 and len(items) > 1:
                print('  %s::* (all %d tests) -- %s' % (fname, len(items), reasons.pop()))
                continue
            for _, n, reason, why in items:
                print('  %s::%s -- %s%s' % (fname, n, reason,
                                           ('  [expected: %s]' % why) if why else ''))
    if args.report and unexpected_pass:
        print()
        print('Listed as expected failures but passed (remove them):')
        for fname, n, why in unexpected_pass:
            print('  %s::%s  # %s' % (fname, n, why))
    for fname, t in stale:
        print('expected-failures: %s::%s names no test of %s (stale entry)' % (fname, t, fname))

    print()
    print('%d files in %.1fs; expected failures: %d, unexpected failures: %d, '
          'unexpected passes: %d' % (len(files), time.monotonic() - t0, len(expected_fail),
                                     len(unexpected_fail), len(unexpected_pass)))
    final = '%d passed, %d failed' % (totals['pass'], totals['fail'])
    if totals['skip']:
        final += ', %d skipped' % totals['skip']
    print(final, flush=True)

    if args.report:
        return 0
    if unexpected_fail or unexpected_pass or stale or xfail.problems:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
