"""Photos from the tablet: a wrong type, an oversize file, a JPEG with GPS data (stripped, read
back from the stored file), and a huge-dimension image refused before it is decoded."""

import struct
import zlib
from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from inspections.models import Answer, Photo
from takatsu_portal.core import uploads

from .conftest import jpeg_bytes, upload
from .test_services import position_of, walk_url


def post_photo(client, inspection, place, code, data, name="photo.jpg", rating="needs"):
    position = position_of(inspection, place, code)
    return client.post(
        walk_url(inspection, place, position),
        {"rating": rating, "severity": "medium", "photo": upload(data, name=name)},
    )


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"  # Make
    exif[0x0110] = "InspectionTab 10"  # Model
    gps = {1: "N", 2: (35.0, 36.0, 0.0), 3: "E", 4: (139.0, 36.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def test_a_jpeg_with_gps_is_stored_without_any_metadata(client, inspection, places, people, media):
    data = jpeg_bytes((800, 600), exif=exif_with_gps())
    with Image.open(BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry a position
    client.force_login(people.staff)
    response = post_photo(client, inspection, places.entrance, "物-02", data)
    assert response.status_code == 302
    photo = Photo.objects.get()
    stored = (media / photo.image.name).read_bytes()
    assert b"Exif" not in stored[:4096]
    assert b"TabletMaker" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert image.getexif().get_ifd(0x8825) == {}
        assert "exif" not in image.info
        assert image.size == (800, 600)
    # The photo is an answer's and so its finding's.
    assert photo.answer.finding.pk


def test_a_large_photo_is_shrunk(client, inspection, places, people, media):
    client.force_login(people.staff)
    response = post_photo(client, inspection, places.entrance, "物-02", jpeg_bytes((3200, 2400)))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1600, 1200)


def test_a_file_that_is_not_an_image_is_refused(client, inspection, places, people, media):
    client.force_login(people.staff)
    response = post_photo(
        client, inspection, places.entrance, "物-02", b"%PDF-1.7 not a photo", name="photo.jpg"
    )
    assert response.status_code == 400
    assert "JPEG または PNG" in response.content.decode()
    assert not Photo.objects.exists()
    assert not Answer.objects.exists()  # the answer and its photo are saved together or not


def test_an_oversize_file_is_refused(client, inspection, places, people, media, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PHOTO_BYTES", 1024)
    client.force_login(people.staff)
    response = post_photo(
        client, inspection, places.entrance, "物-02", jpeg_bytes((400, 300)) + b"\0" * 2048
    )
    assert response.status_code == 400
    assert "写真のファイルが大きすぎます" in response.content.decode()
    assert not Photo.objects.exists()


def huge_png(width, height):
    """A PNG of a few hundred bytes that declares `width` × `height` pixels."""

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        # 81 megapixels: over the portal's limit, under Pillow's own guard.
        (9_000, 9_000, "9000×9000画素"),
        # 1.6 gigapixels: Pillow's guard refuses it while reading the header.
        (40_000, 40_000, "画像の大きさが上限を超えています"),
    ],
)
def test_a_huge_image_is_refused_before_it_is_decoded(
    client, inspection, places, people, media, monkeypatch, width, height, message
):
    decoded = []
    original_load = Image.Image.load

    def spy(self):
        decoded.append(self.size)
        return original_load(self)

    monkeypatch.setattr(Image.Image, "load", spy)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", spy)
    client.force_login(people.staff)
    data = huge_png(width, height)
    assert len(data) < 2_000
    response = post_photo(client, inspection, places.entrance, "物-02", data, name="p.png")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert decoded == []  # the pixels were never decoded
    assert not Photo.objects.exists()


def test_a_photo_is_served_only_inside_its_office(
    client, inspection, places, people, stranger, media
):
    client.force_login(people.staff)
    post_photo(client, inspection, places.entrance, "物-02", jpeg_bytes())
    photo = Photo.objects.get()
    response = client.get(reverse("inspections:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(stranger)
    assert client.get(reverse("inspections:photo", args=[photo.pk])).status_code == 404


def test_validate_photo_reads_the_content_not_the_name():
    from django.core.exceptions import ValidationError

    png = BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(png, format="PNG")
    data, width, height = uploads.validate_photo(upload(png.getvalue(), name="x.jpg"))
    assert data.startswith(b"\xff\xd8\xff") and (width, height) == (10, 10)
    with pytest.raises(ValidationError):
        uploads.validate_photo(upload(b"", name="x.jpg"))
