"""A real SMTP relay for Klaxon's email tests: aiosmtpd with STARTTLS (or implicit TLS) and AUTH.

Usage: smtpd.py --port P --cert CERT --key KEY --out DIR --user U --password PW [--implicit-tls] [--only-login]

Every accepted message is written to DIR as NNNN.json (mail_from, rcpt_tos, content in base64,
tls, auth_mechanism, auth_user), renamed into place once complete. Prints READY once listening;
stops on SIGTERM.
"""
import argparse
import base64
import json
import os
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--cert", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--implicit-tls", action="store_true")
parser.add_argument("--only-login", action="store_true")
args = parser.parse_args()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content": base64.b64encode(envelope.original_content).decode("ascii"),
            "tls": session.ssl is not None or args.implicit_tls,
            "auth_mechanism": getattr(session, "klaxon_mechanism", None),
            "auth_user": getattr(session, "klaxon_user", None),
        }
        number = len([name for name in os.listdir(args.out) if name.endswith(".json")])
        temporary = os.path.join(args.out, ".%04d.tmp" % number)
        with open(temporary, "w") as handle:
            json.dump(record, handle)
        os.rename(temporary, os.path.join(args.out, "%04d.json" % number))
        return "250 2.0.0 OK queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == args.user.encode()
        and auth_data.password == args.password.encode()
    )
    if ok:
        session.klaxon_mechanism = mechanism
        session.klaxon_user = args.user
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(args.cert, args.key)
options = dict(auth_required=True, auth_require_tls=True, authenticator=authenticator)
if args.only_login:
    options["auth_exclude_mechanism"] = ["PLAIN"]
if args.implicit_tls:
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; implicit TLS is encrypted anyway.
    options["auth_require_tls"] = False
    controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, ssl_context=context, **options)
else:
    controller = Controller(
        Handler(), hostname="127.0.0.1", port=args.port, tls_context=context, require_starttls=True, **options
    )
controller.start()
print("READY", flush=True)
signal.sigwait([signal.SIGTERM, signal.SIGINT])
controller.stop()
