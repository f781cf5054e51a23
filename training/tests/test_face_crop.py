"""training/face_crop.py: the app's crop maths in numpy (src/shared/face-crop.ts is the reference;
tests/bench/face-crop-golden.test.ts compares the two on a real photo)."""
import numpy as np
import pytest
from PIL import Image

from face_crop import FACE_API_CARD_FRAMING, FER_CARD_FRAMING, PAD_GRAY, card_framing, crop_face, sample_crop, square_crop, whole_image_crop


def test_square_crop_frames_like_the_app():
    # The same cases as tests/shared/face-crop.test.ts.
    assert square_crop((300, 200, 100, 100), 1280, 720, (1.2, 0)) == (290, 190, 120)
    assert square_crop((0, 0, 100, 100), 640, 480, (1.2, 0)) == (0, 0, 120)
    assert square_crop((0, 0, 100, 100), 640, 480, (0.8, -0.1)) == (10, 0, 80)
    assert square_crop((560, 400, 80, 80), 640, 480, (1.5, 0)) == (520, 360, 120)
    x, y, side = square_crop((10, 0, 300, 400), 320, 400, (1.2, 0))
    assert (side, x + side / 2, y + side / 2) == (480, 160, 200)
    x, y, side = square_crop((300, 200, 100, 80), 1280, 720, (0.8, -0.1))
    assert (round(side, 9), round(x + side / 2, 9), round(y + side / 2, 9)) == (80, 350, 230)


def test_output_size_image_is_copied_unchanged():
    img = (np.arange(48 * 48) * 7 % 256).astype(np.uint8).reshape(48, 48)
    np.testing.assert_array_equal(sample_crop(img, whole_image_crop(48, 48), 48), img)


def test_two_by_two_blocks_are_averaged_and_rounded_half_up():
    img = np.array([[0, 10, 200, 201], [20, 31, 100, 100]] * 2, dtype=np.uint8)
    assert sample_crop(img, (0, 0, 4), 2).tolist() == [[15, 150], [15, 150]]
    assert sample_crop(np.array([[1, 2], [1, 2]], dtype=np.uint8), (0, 0, 2), 1).tolist() == [[2]]  # 1.5 rounds up


def test_shrinking_does_not_alias():
    y, x = np.mgrid[:480, :480]
    board = np.where((x + y) % 2 == 0, 0, 255).astype(np.uint8)
    out = sample_crop(board, (0, 0, 480), 48)
    assert out.min() >= 127 and out.max() <= 128


@pytest.mark.parametrize("factor", [2, 3, 10])
def test_integer_shrinking_matches_pil_box_filter(factor):
    rng = np.random.RandomState(factor)
    img = rng.randint(0, 256, (48 * factor, 48 * factor)).astype(np.uint8)
    pil = np.asarray(Image.fromarray(img).resize((48, 48), Image.Resampling.BOX))
    assert np.abs(sample_crop(img, (0, 0, 48 * factor), 48).astype(int) - pil).max() <= 1


def test_padding_is_mid_grey_not_black():
    out = sample_crop(np.zeros((20, 10), np.uint8), (-5, 0, 20), 4)
    assert PAD_GRAY == 128
    assert out.tolist() == [[128, 0, 0, 128]] * 4
    assert set(np.unique(sample_crop(np.full((10, 10), 3, np.uint8), (50, 50, 5), 5))) == {128}


def test_rgb_and_rgba_use_bt601_weights():
    rgb = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]], np.uint8)
    rgba = np.concatenate([rgb, np.full((2, 2, 1), 7, np.uint8)], axis=2)
    assert sample_crop(rgb, (0, 0, 2), 2).tolist() == [[76, 150], [29, 255]]
    np.testing.assert_array_equal(sample_crop(rgba, (0, 0, 2), 2), sample_crop(rgb, (0, 0, 2), 2))


def test_crop_face_returns_uint8_of_the_asked_size():
    img = np.random.RandomState(0).randint(0, 256, (120, 200, 3)).astype(np.uint8)
    out = crop_face(img, (37.3, 20.6, 61.2, 70.1), size=48)
    assert out.dtype == np.uint8 and out.shape == (48, 48)
    assert crop_face(img, (37.3, 20.6, 61.2, 70.1), size=(64, 32)).shape == (32, 64)


def test_enlarging_interpolates_between_pixel_centres():
    out = sample_crop(np.array([[0, 100], [0, 100]], np.uint8), (0, 0, 2), 4)
    assert out[1].tolist() == [32, 25, 75, 107]


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        sample_crop(np.zeros((4, 4, 2), np.uint8), (0, 0, 4), 2)
    with pytest.raises(ValueError):
        sample_crop(np.zeros((4, 4), np.uint8), (0, 0, 0), 2)


def test_card_framing_moves_pads_and_resizes_as_the_card_says():
    # The same cases as tests/shared/face-crop.test.ts ("card framings").
    x, y, side = square_crop((300, 200, 100, 100), 1280, 720, {**FACE_API_CARD_FRAMING, "box_shift_x": 0.2})
    assert round(x + side / 2, 9) == 370
    white = np.full((10, 10), 255, np.uint8)
    assert sample_crop(white, (-10, 0, 20), 2, pad=0).tolist() == [[0, 255], [0, 0]]
    yy, xx = np.mgrid[:48, :48]
    board = np.where((xx + yy) % 2 == 0, 0, 255).astype(np.uint8)
    area, bilinear = sample_crop(board, (0, 0, 48), 16), sample_crop(board, (0, 0, 48), 16, resize="bilinear")
    assert int(area.max()) - int(area.min()) < 40 and int(bilinear.max()) - int(bilinear.min()) == 255
    full = np.full((100, 100), 200, np.uint8)
    assert crop_face(full, (0, 0, 100, 100), 4, {**FACE_API_CARD_FRAMING, "box_scale": 2.0})[0, 0] == 0
    assert crop_face(full, (0, 0, 100, 100), 4, {**FER_CARD_FRAMING, "box_scale": 2.0})[0, 0] == PAD_GRAY


def test_a_card_without_framing_reads_as_the_fer_framing():
    assert card_framing({"id": "old"}) == FER_CARD_FRAMING
    assert card_framing({"framing": FACE_API_CARD_FRAMING}) == FACE_API_CARD_FRAMING
