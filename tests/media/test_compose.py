"""Composing a recording take: the per-participant MP4s become one file a person can download and play."""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from peerlearn.media.compose import Source, compose_take, grid_cells

RED, BLUE = (220, 20, 20), (20, 20, 220)
FPS = 15


def record(
    path: Path,
    *,
    seconds: float,
    color: tuple[int, int, int] | None = None,
    tone: float | None = None,
    sample_rate: int = 48_000,
    faststart: bool = False,
    clock_start: float = 0.0,
) -> Path:
    """A participant's recording as the media server writes it: H.264 320x240 at 15 fps and/or AAC, in MP4.

    aiortc stamps frames on the publisher's clock, so a real recording's first frame is rarely stamped 0:
    clock_start sets that first stamp."""
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", format="mp4", options=options) as container:
        video = audio = None
        if color is not None:
            video = container.add_stream("libx264", rate=FPS)
            video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
        if tone is not None:
            audio = container.add_stream("aac", rate=sample_rate, layout="mono")
        for index in range(round(seconds * FPS)):
            if video is not None:
                frame = av.VideoFrame.from_ndarray(np.full((240, 320, 3), color, np.uint8), format="rgb24")
                frame.pts, frame.time_base = index + round(clock_start * FPS), Fraction(1, FPS)
                container.mux(video.encode(frame))
        if audio is not None:
            for start in range(0, round(seconds * sample_rate), 1024):
                t = (start + np.arange(1024)) / sample_rate
                samples = (0.4 * np.sin(2 * np.pi * tone * t)).astype(np.float32).reshape(1, -1)
                frame = av.AudioFrame.from_ndarray(samples, format="flt", layout="mono")
                frame.sample_rate, frame.time_base = sample_rate, Fraction(1, sample_rate)
                frame.pts = start + round(clock_start * sample_rate)
                container.mux(audio.encode(frame))
        for stream in (video, audio):
            if stream is not None:
                container.mux(stream.encode(None))
    return path


def chop_tail(path: Path, fraction: float = 0.3) -> Path:
    """What a server that died mid-write leaves behind: the file's last bytes are missing."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * (1 - fraction))])
    return path


def frame_at(path: Path, seconds: float) -> np.ndarray:
    with av.open(str(path)) as container:
        return min(container.decode(video=0), key=lambda f: abs(f.time - seconds)).to_ndarray(format="rgb24")


def share(pixels: np.ndarray, color: tuple[int, int, int] | None) -> float:
    """The share of pixels close to color (None: black)."""
    target = np.array(color or (0, 0, 0), dtype=np.int16)
    return float((np.abs(pixels.astype(np.int16) - target).max(axis=-1) < 50).mean())


def audio_of(path: Path) -> tuple[np.ndarray, int]:
    """The whole soundtrack as mono float samples."""
    with av.open(str(path)) as container:
        chunks = [
            frame.to_ndarray().reshape(frame.layout.nb_channels, -1).mean(axis=0) for frame in container.decode(audio=0)
        ]
        return np.concatenate(chunks), container.streams.audio[0].sample_rate


def loudness_of(samples: np.ndarray, rate: int, tone: float, at: float, window: float = 0.2) -> float:
    """How strongly a tone sounds in a window around `at` seconds (FFT magnitude near that frequency)."""
    piece = samples[int((at - window / 2) * rate) : int((at + window / 2) * rate)]
    spectrum = np.abs(np.fft.rfft(piece * np.hanning(len(piece))))
    freqs = np.fft.rfftfreq(len(piece), 1 / rate)
    return float(spectrum[np.abs(freqs - tone) < 15].max() / len(piece))


def streams(path: Path) -> tuple[list[str], float]:
    with av.open(str(path)) as container:
        return [s.type for s in container.streams], container.duration / 1_000_000


def decodes_to_the_end(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_two_participants_play_side_by_side_from_their_own_start(tmp_path):
    a = record(tmp_path / "a.mp4", seconds=2.0, color=RED, tone=440)
    b = record(tmp_path / "b.mp4", seconds=1.5, color=BLUE, tone=880, sample_rate=44_100, clock_start=1.0)
    output = tmp_path / "takes" / "take-1.mp4"
    output.parent.mkdir()

    assert compose_take([Source(a, 0.0, "mentor"), Source(b, 0.5, "learner")], output) == output

    kinds, duration = streams(output)
    assert sorted(kinds) == ["audio", "video"]
    assert duration == pytest.approx(2.0, abs=0.2)
    assert [p.name for p in output.parent.iterdir()] == ["take-1.mp4"]  # no temporary file left behind

    both = frame_at(output, 1.0)
    assert both.shape == (720, 1280, 3)
    assert share(both[:, :640], RED) > 0.5 and share(both[:, 640:], BLUE) > 0.5
    early = frame_at(output, 0.2)
    assert share(early[:, :640], RED) > 0.5 and share(early[:, 640:], None) > 0.95  # B has not started yet

    samples, rate = audio_of(output)
    assert rate == 48_000 and np.sqrt(np.mean(samples**2)) > 0.05
    assert loudness_of(samples, rate, 440, at=0.2) > 0.02 and loudness_of(samples, rate, 880, at=0.2) < 0.005
    assert loudness_of(samples, rate, 440, at=1.0) > 0.02 and loudness_of(samples, rate, 880, at=1.0) > 0.02


def test_a_voice_without_camera_and_a_cut_off_recording_still_make_a_playable_take(tmp_path, caplog):
    camera = record(tmp_path / "camera.mp4", seconds=2.0, color=RED, tone=440)
    voice_only = record(tmp_path / "voice.mp4", seconds=1.0, tone=660)
    cut = chop_tail(record(tmp_path / "cut.mp4", seconds=2.0, color=BLUE, tone=880, faststart=True))
    never_finished = chop_tail(record(tmp_path / "unfinished.mp4", seconds=2.0, color=BLUE, tone=880))
    output = tmp_path / "take.mp4"

    with caplog.at_level(logging.WARNING, logger="peerlearn.media.compose"):
        compose_take(
            [Source(camera, 0.0), Source(voice_only, 0.3), Source(cut, 0.0), Source(never_finished, 0.0)], output
        )

    kinds, duration = streams(output)
    assert sorted(kinds) == ["audio", "video"] and duration == pytest.approx(2.0, abs=0.2)
    assert decodes_to_the_end(output) >= 28
    picture = frame_at(output, 0.5)  # the voice takes no tile: the two cameras sit side by side
    assert share(picture[:, :640], RED) > 0.5 and share(picture[:, 640:], BLUE) > 0.5
    assert share(frame_at(output, 1.9)[:, 640:], None) > 0.95  # the cut recording ran out before the end
    samples, rate = audio_of(output)
    assert loudness_of(samples, rate, 660, at=0.8) > 0.02 and loudness_of(samples, rate, 660, at=1.7) < 0.005
    assert "unfinished.mp4" in caplog.text and "cut.mp4" in caplog.text

    alone = compose_take([Source(cut, 0.0)], tmp_path / "cut-take.mp4", width=320, height=240)
    assert 1.0 < streams(alone)[1] < 1.6  # as long as what was really recorded, not the 2 s its header claims


def test_one_participant_fills_the_frame_and_a_take_with_only_voices_is_black(tmp_path):
    solo = compose_take(
        [Source(record(tmp_path / "solo.mp4", seconds=1.0, color=RED, tone=440), 0.0)],
        tmp_path / "solo-take.mp4",
        width=640,
        height=480,
    )
    assert share(frame_at(solo, 0.5), RED) > 0.95

    voices = compose_take(
        [Source(record(tmp_path / "v.mp4", seconds=1.0, tone=440), 0.0)], tmp_path / "voices.mp4", width=320, height=240
    )
    kinds, duration = streams(voices)
    assert sorted(kinds) == ["audio", "video"] and duration == pytest.approx(1.0, abs=0.2)
    assert share(frame_at(voices, 0.5), None) > 0.99


def test_no_usable_recording_is_refused_clearly(tmp_path):
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"not a video at all" * 100)
    unfinished = chop_tail(record(tmp_path / "unfinished.mp4", seconds=1.0, color=BLUE, tone=880))
    output = tmp_path / "take.mp4"

    with pytest.raises(ValueError, match="no usable recording"):
        compose_take([Source(garbage, 0.0), Source(unfinished, 0.0), Source(tmp_path / "missing.mp4", 0.0)], output)
    with pytest.raises(ValueError, match="no usable recording"):
        compose_take([], output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.mp4", "unfinished.mp4"]


@pytest.mark.parametrize(
    "count, shape", [(1, (1, 1)), (2, (2, 1)), (3, (2, 2)), (4, (2, 2)), (5, (3, 2)), (9, (3, 3)), (10, (4, 3))]
)
def test_the_grid_gives_every_picture_its_own_cell(count, shape):
    cells = grid_cells(count, 1280, 720)
    columns, rows = shape
    assert len(cells) == count and len(set(cells)) == count
    assert all((w, h) == (1280 // columns, 720 // rows) for _, _, w, h in cells)
    assert all(x + w <= 1280 and y + h <= 720 for x, y, w, h in cells)
