"""An SMTP server for mutua's tests, run with aiosmtpd:

    PYTHONPATH=tests/support python3 -m aiosmtpd -n -c smtp_sink.Sink DIR -l 127.0.0.1:PORT

Each accepted message is written to DIR as one .eml file (written to a temporary name,
then renamed, so a reader never sees half a message). Recipients whose address starts
with "reject" are refused with a permanent 550, to exercise dead letters.
"""

import os
import uuid


class Sink:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Sink takes one argument: the directory to write to")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.directory, name + ".eml"))
        return "250 Message accepted for delivery"
