"""Mail backends that fail the way an SMTP server does, for the notification mail tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

ATTEMPTS = []


class DisconnectingBackend(EmailBackend):
    """The server drops the connection (a transient failure worth retrying)."""

    def send_messages(self, messages):
        ATTEMPTS.append(len(messages))
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
