"""Read a WeasyPrint PDF's document information (title, author = issuing authority, subject = the
addresses the document carries) without a PDF library: inflate the object streams and decode."""

import re
import zlib


def pdf_info(content):
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\nendstream", content, re.S):
        # The data may itself end with a carriage return: try it with and without the last "\r".
        data = match.group(1)
        for candidate in (data, data.removesuffix(b"\r")):
            try:
                chunks.append(zlib.decompress(candidate))
                break
            except zlib.error:
                continue
    info = {}
    for chunk in chunks:
        for key, value in re.findall(rb"/(Title|Author|Subject) <([0-9a-fA-F]+)>", chunk):
            info[key.decode()] = bytes.fromhex(value.decode()).decode("utf-16")
        for key, value in re.findall(rb"/(Title|Author|Subject) \(([^)]*)\)", chunk):
            info.setdefault(key.decode(), value.decode("latin-1"))
    return info
