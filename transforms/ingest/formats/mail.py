"""Mail: ``.eml`` (RFC 5322) and ``.mbox``, with the standard library's ``email``/``mailbox``.

- Headers From/To/Cc/Subject/Date go to metadata (MIME encoded-words decoded).
  They are personal data: the PII stage masks every metadata string, so they are
  never written raw.
- The body is the ``text/plain`` part (else ``text/html`` as text), decoded in its
  declared charset — verified, since mailers lie — ISO-2022-JP being common.
- Quoted reply lines (``>``, ``＞``) stay in the text; ``quoted_lines`` counts them.
- Attachments (and attached messages) are yielded as members and read
  recursively as documents of their own: ``…eml#attachment=2/report.docx``.
- An mbox yields each message as a member (``…mbox#message=3``).
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage

from kiyome.transforms.ingest.encoding import decode, normalize_newlines, same_encoding
from kiyome.transforms.ingest.errors import IngestError
from kiyome.transforms.ingest.formats.base import Extracted, Item, Member, ReadContext
from kiyome.transforms.ingest.formats.html import html_to_text

EML_EXTENSIONS = (".eml",)
MBOX_EXTENSIONS = (".mbox",)
HEADERS = ("from", "to", "cc", "subject", "date")
_QUOTED = re.compile(r"^[ \t]*[>＞]", re.MULTILINE)


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # a malformed header must not lose the mail
        return None
    return " ".join(str(value).split()) if value is not None else None


def _part_text(part: EmailMessage) -> tuple[str, str]:
    payload = part.get_payload(decode=True) or b""
    decoded = decode(payload, declared=part.get_content_charset())
    text = normalize_newlines(decoded.text)
    if part.get_content_type() == "text/html":
        text, _ = html_to_text(text)
    return text, decoded.encoding


def _extension(part: EmailMessage) -> str:
    """An extension for an unnamed part, from its content type (``text/plain`` -> ``.txt``)."""
    content_type = part.get_content_type()
    if content_type == "text/plain":
        return ".txt"
    return mimetypes.guess_extension(content_type) or ".bin"


def _contains(container: EmailMessage, part: EmailMessage | None) -> bool:
    return part is not None and any(sub is part for sub in container.walk())


def _other_parts(message: EmailMessage, body: EmailMessage | None) -> Iterator[EmailMessage]:
    """Every leaf part besides the body: attachments, inline parts, attached messages.

    Not the body's alternatives (the HTML twin of a plain-text body) and not the inline
    images of an HTML body (``multipart/related``); not inside attached messages either,
    which are read on their own.
    """
    if message is body:
        return
    if message.is_multipart() and message.get_content_type() != "message/rfc822":
        if message.get_content_subtype() in ("alternative", "related") and _contains(
                message, body):
            return
        for part in message.iter_parts():
            yield from _other_parts(part, body)
    else:
        yield message


def read_eml(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
        raise IngestError("not_a_mail")
    body: EmailMessage | None = None
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        body = None
    attachments = list(_other_parts(message, body))

    metadata: dict[str, object] = {}
    for name in HEADERS:
        value = _header(message, name)
        if value:
            metadata[name] = value
    text, encoding = _part_text(body) if body is not None else ("", "ascii")
    metadata["encoding"] = encoding
    declared = body.get_content_charset() if body is not None else None
    if declared and not same_encoding(declared, encoding):
        metadata["declared_encoding"] = declared  # the mailer lied
    metadata["quoted_lines"] = len(_QUOTED.findall(text))
    metadata["attachments"] = len(attachments)
    yield Extracted(text, metadata)

    for index, part in enumerate(attachments, start=1):
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            name, payload = part.get_filename() or f"message-{index}.eml", inner.as_bytes()
        else:
            name = part.get_filename() or f"part-{index}{_extension(part)}"
            payload = part.get_payload(decode=True) or b""
        name = name.replace("/", "_")
        yield Member(name, payload, f"attachment={index}/{name}",
                     {"content_type": part.get_content_type()})


def read_mbox(data: bytes, ctx: ReadContext) -> Iterator[Item]:
    handle, path = tempfile.mkstemp(suffix=".mbox")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        box = mailbox.mbox(path, create=False)
        try:
            for index, key in enumerate(box.iterkeys(), start=1):
                ctx.check_time()
                yield Member(f"message-{index}.eml", box.get_bytes(key), f"message={index}")
        finally:
            box.close()
    finally:
        os.unlink(path)
