"""Read the records of a large JSON file one by one, without loading the whole file.

A file of 100 000 nested services is a few hundred megabytes; as Python objects it would need
several gigabytes. This reader decodes one record at a time from a sliding text buffer with the
standard library's `raw_decode`, for the three shapes HSDS uses: a list of records, a page
envelope (`{"total_items": ..., "contents": [...]}`) and a single record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 1 << 20
_WHITESPACE = " \t\n\r"
# Messages of JsonStreamError that callers translate into their own words.
TOO_DEEP = "nested too deeply"
TOO_MANY_DIGITS = "a number with too many digits"


class JsonStreamError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class _Reader:
    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text already dropped from the buffer
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        if "\x00" in chunk:
            raise JsonStreamError("binary", self.lines_before + 1, 1)
        # Drop what has been read, so the buffer stays about one chunk long.
        dropped = self.buffer[: self.pos]
        self.lines_before += dropped.count("\n")
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def position(self, pos: int | None = None) -> tuple[int, int]:
        pos = self.pos if pos is None else pos
        before = self.buffer[:pos]
        line = self.lines_before + before.count("\n") + 1
        column = pos - (before.rfind("\n") + 1) + 1
        return line, column

    def fail(self, message: str, pos: int | None = None) -> JsonStreamError:
        line, column = self.position(pos)
        return JsonStreamError(message, line, column)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = self.peek() or "end of file"
            raise self.fail(f"Expecting '{char}', found '{found[:1]}'")
        self.pos += 1

    def value(self) -> Any:
        """Decode the next complete JSON value, reading more of the file as needed."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except RecursionError:
                # Lists or objects nested thousands deep: more than Python's reader can follow.
                raise self.fail(TOO_DEEP) from None
            except json.JSONDecodeError as exc:
                incomplete = exc.pos >= len(self.buffer) - 1 or exc.msg.startswith(
                    "Unterminated string"
                )
                if incomplete and self._more():
                    continue
                raise self.fail(exc.msg, exc.pos) from None
            except ValueError:
                # An integer longer than Python converts (sys.get_int_max_str_digits()).
                raise self.fail(TOO_MANY_DIGITS) from None
            # A number at the very end of the buffer may continue in the next chunk.
            at_the_end = end >= len(self.buffer) and not self.eof
            if at_the_end and not isinstance(value, dict | list) and self._more():
                continue
            self.pos = end
            return value


def records(handle: IO[str]) -> Iterator[Any]:
    """Each top-level record: the items of a list or of `contents`, or the one object."""
    reader = _Reader(handle)
    first = reader.peek()
    if first == "":
        raise JsonStreamError("empty", 1, 1)
    if first == "[":
        yield from _items(reader)
    elif first == "{":
        yield from _object(reader)
    else:
        raise reader.fail("Expecting [ or { at the start")
    if reader.peek() != "":
        raise reader.fail("Extra data after the end of the JSON value")


def _items(reader: _Reader) -> Iterator[Any]:
    reader.expect("[")
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        yield reader.value()
        char = reader.peek()
        if char == ",":
            reader.pos += 1
            continue
        if char == "]":
            reader.pos += 1
            return
        raise reader.fail("Expecting ',' or ']'")


def _object(reader: _Reader) -> Iterator[Any]:
    """A page envelope streams its `contents`; any other object is one record."""
    reader.expect("{")
    fields: dict[str, Any] = {}
    streamed = False
    if reader.peek() == "}":
        reader.pos += 1
        yield fields
        return
    while True:
        if reader.peek() != '"':
            raise reader.fail("Expecting a property name in double quotes")
        key = reader.value()
        reader.expect(":")
        if key == "contents" and reader.peek() == "[":
            streamed = True
            yield from _items(reader)
        else:
            fields[key] = reader.value()
        char = reader.peek()
        if char == ",":
            reader.pos += 1
            continue
        if char == "}":
            reader.pos += 1
            break
        raise reader.fail("Expecting ',' or '}'")
    if not streamed:
        yield fields
