#!/usr/bin/python3
"""Serve upstream OpenStack Placement (Debian's python3-placement 8.0.0) for the
conformance runner, the way upstream's own functional tests configure it.

Used only to validate the runner and its fixture seeding against the reference
implementation (``run_conformance.py --target upstream``). Not part of the product.

* ``--database sqlite:///PATH``: a fresh SQLite file; the schema is created from the
  models (``migration.create_schema``, as upstream's test Database fixture does) and the
  standard resource classes and traits are synced at start.
* ``[api] auth_strategy = noauth2``, legacy policy defaults (enforce_scope and
  enforce_new_defaults False), like ``APIFixture``.
* ``--cors-allowed-origin`` / ``--cors-allow-headers``: like ``CORSFixture``.
* Prints ``upstream-placement listening on http://HOST:PORT (store: sqlite)`` on stdout once
  it accepts connections; stops on SIGTERM/SIGINT.

The HTTP server is wsgiref, single-threaded (the runner sends one request at a time). It reads
and discards any request body the application did not consume before closing the
connection, so the client never sees a TCP reset (uwsgi resets such connections; that is a
transport artefact, not Placement behaviour).
"""

import argparse
import os
import signal
import socket
import sys
import warnings
from wsgiref import simple_server


def build_app(db_url, cors_origin, cors_headers):
    from oslo_config import cfg
    from oslo_policy import opts as policy_opts

    from placement import conf
    from placement import db_api
    from placement.db.sqlalchemy import migration
    from placement import deploy

    config = cfg.ConfigOpts()
    conf.register_opts(config)
    policy_opts.set_defaults(config)
    config.set_override('auth_strategy', 'noauth2', group='api')
    config.set_override('enforce_scope', False, group='oslo_policy')
    config.set_override('enforce_new_defaults', False, group='oslo_policy')
    # A policy file that does not exist: built-in defaults only.
    config.set_override('policy_file', '/nonexistent/placement-policy.yaml',
                        group='oslo_policy')
    config.set_override('connection', db_url, group='placement_database')
    config.set_override('sync_on_startup', False, group='placement_database')
    if cors_origin:
        config.set_override('allowed_origin', [cors_origin], group='cors')
        if cors_headers:
            config.set_override('allow_headers', cors_headers.split(','),
                                group='cors')

    config([], default_config_files=[])
    db_api.configure(config)
    migration.create_schema(db_api.get_placement_engine())
    # loadapp() syncs standard traits and resource classes.
    return deploy.loadapp(config)


class DrainingServer(simple_server.WSGIServer):
    """Read what the client sent and the app did not consume before closing."""

    def shutdown_request(self, request):
        try:
            request.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            # Whatever the client sent is on loopback by now: read it until EOF or
            # a short quiet period, so close() does not answer with a reset.
            request.settimeout(0.05)
            while request.recv(65536):
                pass
        except OSError:
            pass
        self.close_request(request)


class QuietHandler(simple_server.WSGIRequestHandler):
    def get_environ(self):
        env = super().get_environ()
        # wsgiref invents "text/plain" when the request has no Content-Type; a real WSGI
        # server (uwsgi, mod_wsgi) leaves it unset, and Placement's answers depend on it.
        if self.headers.get('content-type') is None:
            env.pop('CONTENT_TYPE', None)
        return env

    def log_message(self, format, *args):  # noqa: A002
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--listen', default='127.0.0.1:0')
    parser.add_argument('--database', required=True,
                        help='sqlite:///PATH (a fresh file)')
    parser.add_argument('--cors-allowed-origin')
    parser.add_argument('--cors-allow-headers')
    args = parser.parse_args()

    warnings.simplefilter('ignore')
    host, _, port = args.listen.rpartition(':')
    app = build_app(args.database, args.cors_allowed_origin,
                    args.cors_allow_headers)

    server = simple_server.make_server(host, int(port), app,
                                       server_class=DrainingServer,
                                       handler_class=QuietHandler)

    def stop(signum, frame):
        # os._exit: library threads (oslo, sqlalchemy) must not keep the process alive.
        sys.stdout.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    h, p = server.server_address[:2]
    print('upstream-placement listening on http://%s:%d (store: sqlite)' % (h, p),
          flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
