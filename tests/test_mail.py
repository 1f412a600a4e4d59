"""E-mail goes out over SMTP when a server is configured, and to the log when not."""

import socketserver
import threading

import pytest

from portal import mail


class RecordingSMTP(socketserver.StreamRequestHandler):
    """Just enough of an SMTP server to accept one message and keep it."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test ESMTP")
        envelope = {"rcpt": []}
        while line := self.rfile.readline().decode():
            command = line.strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command.startswith("MAIL FROM"):
                envelope["from"] = line.split(":", 1)[1].strip()
                self.reply("250 ok")
            elif command.startswith("RCPT TO"):
                envelope["rcpt"].append(line.split(":", 1)[1].strip())
                self.reply("250 ok")
            elif command == "DATA":
                self.reply("354 go ahead")
                data = []
                while (chunk := self.rfile.readline().decode()) not in (".\r\n", ""):
                    data.append(chunk)
                envelope["data"] = "".join(data)
                self.server.messages.append(envelope)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RecordingSMTP)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_mail_is_sent_over_smtp(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.server_address[1])
    monkeypatch.delitem(app.extensions, "mail_outbox")
    with app.app_context():
        mail.send("jan@example.org", "Uitnodiging", "Beste Jan,\n\nWelkom.")
    [message] = smtp_server.messages
    assert message["rcpt"] == ["<jan@example.org>"]
    assert "Subject: Uitnodiging" in message["data"]
    assert "Beste Jan," in message["data"]


def test_without_mail_server_mail_goes_to_the_log(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.delitem(app.extensions, "mail_outbox")
    with app.app_context(), caplog.at_level("INFO"):
        mail.send("jan@example.org", "Uitnodiging", "Beste Jan")
    assert "jan@example.org" in caplog.text and "Beste Jan" in caplog.text
