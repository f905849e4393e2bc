"""Uploaded text files and names (issue 17, item 5): a valid UTF-8 text whose sniffed first
2,048 bytes end inside a character is accepted; a text that really ends inside one is not;
the ideographic space (U+3000) of a Japanese file name is kept."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from takatsu_portal.core.uploads import clean_upload_name, validate_upload


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("ascii_before", [2047, 2046], ids=["cut-after-1-byte", "after-2"])
@pytest.mark.parametrize("name", ["議事録.txt", "集計.csv"])
def test_utf8_text_cut_inside_a_character_at_byte_2048_is_accepted(name, ascii_before):
    content = ("a" * ascii_before + "あいうえお\n" * 200).encode("utf-8")
    assert content[:2048].endswith("あ".encode()[: 2048 - ascii_before])
    stored_name, content_type, stored = validate_upload(upload(name, content))
    assert stored_name == name
    assert content_type in ("text/plain", "text/csv")
    stored.seek(0)
    assert stored.read() == content


def test_shift_jis_text_cut_inside_a_character_at_byte_2048_is_accepted():
    content = ("a" * 2047 + "高津区役所\r\n" * 100).encode("cp932")
    assert validate_upload(upload("名簿.csv", content))[1] == "text/csv"


# b"\x81 " is neither UTF-8 nor Shift-JIS (a lead byte without its second byte).
@pytest.mark.parametrize("content", [b"abc\xef", b"abc\x81 def", b"abc\x00def"])
def test_a_text_that_is_not_text_is_still_refused(content):
    with pytest.raises(ValidationError, match="テキストファイルとして読み取れません"):
        validate_upload(upload("memo.txt", content))


def test_a_long_text_with_a_bad_byte_early_is_refused():
    content = b"abc\x81 " + b"a" * 5000
    with pytest.raises(ValidationError, match="テキストファイルとして読み取れません"):
        validate_upload(upload("memo.txt", content))


def test_the_ideographic_space_of_a_file_name_is_kept():
    assert clean_upload_name("令和8年度　第1回　議事録.pdf") == "令和8年度　第1回　議事録.pdf"
    content = b"%PDF-1.7\n..."
    assert validate_upload(upload("第1回　議事録.pdf", content))[0] == "第1回　議事録.pdf"


def test_control_characters_and_folders_are_still_removed_from_names():
    assert clean_upload_name("..\\..\\etc/pass\x00wd\r\n.txt") == "passwd.txt"
    assert clean_upload_name('  .a<b>:"c|?*.txt') == "abc.txt"
