"""One playable file per recording take, composed from the per-participant recordings.

The media server records each publisher into a file of its own (aiortc's MediaRecorder: H.264 + AAC in
MP4), and people start publishing at different moments of a take. Handing a learner a folder of clips
that each start at a different time, and asking them to line the clips up, is no replay. So a take is
composed into ONE MP4 that a browser plays as it is: every participant's picture in a grid, every
voice mixed into one track, each placed on the take's clock by its offset.

Decisions worth knowing:

- Layout: 1 picture fills the frame, 2 sit side by side, 3-4 make a 2x2 grid, more make a grid of
  ceil(sqrt(n)) columns. Each picture is scaled to fit its cell, keeping its aspect, centred on black.
  A cell is black before that participant's first frame and after their last one; between frames the
  latest one is held (a camera that stalls shows its last picture).
- Audio-only participants get no cell: their voice is in the mix, and the pictures that exist get the
  room. A take with no picture at all still gets a (black) video track, and a take with no sound a
  silent audio track, so every composed file has exactly one video and one audio stream.
- Audio is resampled to 48 kHz (stereo if any participant sent stereo, else mono), placed by its own
  timestamps (so a gap in a recording does not drift the voice away from the picture), summed, and
  passed through a soft limiter so loud overlaps do not clip harshly.
- Damaged input: a file that cannot be opened (a server that died before writing the MP4 index) or
  has no streams is skipped with a warning; a file whose tail is cut is used up to the damage. The
  take lasts until the last frame actually decoded (offset + what the file really holds), not what a
  damaged header claims.
- Memory stays bounded: every stream is decoded frame by frame in lockstep with the output; nothing
  holds more than a frame or an audio chunk per participant.
- The result is written to a hidden temporary file beside `output` and renamed over it, so nobody can
  download a half-written take.
"""

from __future__ import annotations

import logging
import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
AAC_FRAME = 1024  # samples per AAC frame: the audio encoder is fed chunks of exactly this size
RESYNC_SAMPLES = SAMPLE_RATE // 10  # a timestamp this far from where the previous chunk ended is a real gap
LIMIT_KNEE = 0.8  # the soft limiter leaves samples below this untouched


@dataclass(frozen=True)
class Source:
    path: Path
    offset: float  # seconds after the take started at which this source's first frame belongs
    label: str = ""  # unused for drawing; keep for logs


# Layout


def grid_shape(count: int) -> tuple[int, int]:
    """(columns, rows) for `count` pictures: 1 -> 1x1, 2 -> 2x1, 3-4 -> 2x2, more -> ceil(sqrt) columns."""
    if count <= 1:
        return 1, 1
    if count == 2:
        return 2, 1
    columns = math.ceil(math.sqrt(count))
    return columns, math.ceil(count / columns)


def grid_cells(count: int, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The (x, y, w, h) cell of each picture, row by row, on a width x height canvas."""
    columns, rows = grid_shape(count)
    cell_w, cell_h = width // columns, height // rows
    return [((i % columns) * cell_w, (i // columns) * cell_h, cell_w, cell_h) for i in range(count)]


def fit(src_w: int, src_h: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The largest even size with the source's aspect that fits the box."""
    scale = min(box_w / src_w, box_h / src_h)
    return max(2, int(src_w * scale) // 2 * 2), max(2, int(src_h * scale) // 2 * 2)


# Decoding


def _decode(container: av.container.InputContainer, stream: av.stream.Stream, label: str) -> Iterator[av.frame.Frame]:
    """The stream's frames, stopping quietly at a damaged or cut-off part of the file."""
    try:
        yield from container.decode(stream)
    except av.FFmpegError as exc:
        log.warning("recording %s: stopped reading %s at a damaged part (%s)", label, stream.type, exc)


def _start_time(container: av.container.InputContainer) -> float:
    """When the file's earliest frame is stamped: aiortc stamps frames on the publisher's clock, not from 0."""
    starts = [
        float(s.start_time * s.time_base)
        for s in container.streams
        if s.type in ("video", "audio") and s.start_time is not None and s.time_base is not None
    ]
    return min(starts, default=0.0)


class _Picture:
    """One participant's video, walked forward in time: the frame to show at a given moment of the take."""

    def __init__(self, path: Path, index: int, shift: float, label: str) -> None:
        self.label = label
        self._container = av.open(str(path))
        stream = self._container.streams[index]
        rate = stream.average_rate or stream.guessed_rate
        self._frame_length = float(1 / rate) if rate else 1 / 30
        self._shift = shift
        self._frames = _decode(self._container, stream, label)
        self._pulled_time = shift - self._frame_length  # so an unstamped first frame lands at the source's start
        self._shown: av.VideoFrame | None = None
        self._shown_time = -math.inf
        self._next, self._next_time = self._pull()
        self._tile: tuple[av.VideoFrame, tuple[int, int], np.ndarray] | None = None

    @property
    def has_frames(self) -> bool:
        return self._shown is not None or self._next is not None

    @property
    def finished(self) -> bool:
        return self._next is None

    @property
    def end(self) -> float:
        """When the last frame stops showing (meaningful once finished)."""
        return self._shown_time + self._frame_length if self._shown is not None else -math.inf

    def _pull(self) -> tuple[av.VideoFrame | None, float]:
        frame = next(self._frames, None)
        if frame is None:
            return None, math.inf
        if frame.time is not None:
            self._pulled_time = frame.time + self._shift
        else:  # no timestamp: one frame after the previous one
            self._pulled_time += self._frame_length
        return frame, self._pulled_time

    def frame_at(self, t: float) -> av.VideoFrame | None:
        """The latest frame stamped at or before t; None before the first frame and after the last one ends."""
        while self._next is not None and self._next_time <= t:
            self._shown, self._shown_time = self._next, self._next_time
            self._next, self._next_time = self._pull()
        if self._shown is None or (self.finished and t >= self.end):
            return None
        return self._shown

    def tile(self, frame: av.VideoFrame, size: tuple[int, int]) -> np.ndarray:
        """The frame scaled to size as RGB, reused while the same frame is held."""
        if self._tile is None or self._tile[0] is not frame or self._tile[1] != size:
            pixels = frame.reformat(width=size[0], height=size[1], format="rgb24").to_ndarray()
            self._tile = (frame, size, pixels)
        return self._tile[2]

    def close(self) -> None:
        self._frames.close()
        self._container.close()


class _Voice:
    """One participant's audio, resampled to the output format and placed on the take's sample clock."""

    def __init__(self, path: Path, index: int, shift: float, layout: str, label: str) -> None:
        self.label = label
        self._container = av.open(str(path))
        self._shift = shift
        self._chunks = self._resampled(self._container.streams[index], layout)
        self._chunk: np.ndarray | None = None
        self._position = 0
        self.end = 0  # one past the last sample placed so far
        self._advance()

    @property
    def has_samples(self) -> bool:
        return self._chunk is not None or self.end > 0

    @property
    def finished(self) -> bool:
        return self._chunk is None

    def _resampled(self, stream: av.stream.Stream, layout: str) -> Iterator[tuple[int, np.ndarray]]:
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
        expected: int | None = None
        for frame in _then_none(_decode(self._container, stream, self.label)):
            try:
                chunks = resampler.resample(frame)
            except (av.FFmpegError, ValueError) as exc:  # a damaged stream that changes format midway
                log.warning("recording %s: stopped reading audio at a damaged part (%s)", self.label, exc)
                return
            for chunk in chunks:
                position = self._place(chunk, expected)
                expected = position + chunk.samples
                yield position, chunk.to_ndarray()

    def _place(self, chunk: av.AudioFrame, expected: int | None) -> int:
        """Where the chunk starts on the take's clock: right after the previous one unless its stamp shows a gap."""
        if chunk.time is None:
            return expected if expected is not None else round(self._shift * SAMPLE_RATE)
        stamped = round((chunk.time + self._shift) * SAMPLE_RATE)
        if expected is not None and abs(stamped - expected) < RESYNC_SAMPLES:
            return expected
        return stamped

    def _advance(self) -> None:
        self._position, self._chunk = next(self._chunks, (0, None))
        if self._chunk is not None:
            self.end = max(self.end, self._position + self._chunk.shape[1])

    def mix_into(self, mix: np.ndarray, start: int) -> None:
        """Add this voice's samples that fall in [start, start + mix length) to mix."""
        stop = start + mix.shape[1]
        while self._chunk is not None and self._position < stop:
            chunk_stop = self._position + self._chunk.shape[1]
            low, high = max(self._position, start), min(chunk_stop, stop)
            if high > low:
                mix[:, low - start : high - start] += self._chunk[:, low - self._position : high - self._position]
            if chunk_stop > stop:
                return  # the rest of this chunk belongs to the next call
            self._advance()

    def close(self) -> None:
        self._chunks.close()
        self._container.close()


def _then_none(frames: Iterator[av.AudioFrame]) -> Iterator[av.AudioFrame | None]:
    """The frames, then None: the resampler's signal to flush what it still holds."""
    yield from frames
    yield None


# Opening the take's recordings


@dataclass(frozen=True)
class _Probe:
    """What a readable recording holds: its first video and audio stream, and where it sits on the take's clock."""

    source: Source
    label: str
    video: int | None
    audio: int | None
    channels: int
    shift: float  # add to a frame's own time to get its time in the take


def _probe(source: Source) -> _Probe | None:
    label = source.label or source.path.name
    try:
        with av.open(str(source.path)) as container:
            video = next(iter(container.streams.video), None)
            audio = next(iter(container.streams.audio), None)
            if video is None and audio is None:
                log.warning("recording %s: skipped, it holds no video or audio stream", label)
                return None
            channels = audio.codec_context.layout.nb_channels if audio is not None else 0
            return _Probe(
                source,
                label,
                video.index if video is not None else None,
                audio.index if audio is not None else None,
                channels,
                source.offset - _start_time(container),
            )
    except (av.FFmpegError, OSError) as exc:
        log.warning("recording %s: skipped, it cannot be opened (%s)", label, exc)
        return None


def _open_cursors(probes: list[_Probe], layout: str) -> tuple[list[_Picture], list[_Voice]]:
    """A picture for every recording with decodable video, a voice for every one with decodable audio."""
    pictures: list[_Picture] = []
    voices: list[_Voice] = []
    for probe in probes:
        picture = voice = None
        try:
            if probe.video is not None:
                picture = _keep_if(_Picture(probe.source.path, probe.video, probe.shift, probe.label), "has_frames")
            if probe.audio is not None:
                voice = _keep_if(
                    _Voice(probe.source.path, probe.audio, probe.shift, layout, probe.label), "has_samples"
                )
        except (av.FFmpegError, OSError) as exc:
            log.warning("recording %s: skipped, it cannot be read (%s)", probe.label, exc)
            for cursor in (picture, voice):
                if cursor is not None:
                    cursor.close()
            continue
        if picture is None and voice is None:
            log.warning("recording %s: skipped, not one frame of it could be decoded", probe.label)
        pictures += [picture] if picture is not None else []
        voices += [voice] if voice is not None else []
    return pictures, voices


def _keep_if(cursor: _Picture | _Voice, flag: str) -> _Picture | _Voice | None:
    if getattr(cursor, flag):
        return cursor
    cursor.close()
    return None


# Writing the composed take


def soft_limit(samples: np.ndarray) -> np.ndarray:
    """Leave samples below the knee alone and squeeze everything above it smoothly into (knee, 1), in place."""
    magnitude = np.abs(samples)
    over = magnitude > LIMIT_KNEE
    if over.any():
        headroom = 1 - LIMIT_KNEE
        squeezed = LIMIT_KNEE + headroom * np.tanh((magnitude[over] - LIMIT_KNEE) / headroom)
        samples[over] = np.sign(samples[over]) * squeezed
    return samples


def _canvas(
    pictures: list[_Picture], cells: list[tuple[int, int, int, int]], t: float, width: int, height: int
) -> np.ndarray:
    canvas = np.zeros((height, width, 3), np.uint8)
    for picture, (x, y, w, h) in zip(pictures, cells, strict=True):
        frame = picture.frame_at(t)
        if frame is None:
            continue
        tile_w, tile_h = fit(frame.width, frame.height, w, h)
        left, top = x + (w - tile_w) // 2, y + (h - tile_h) // 2
        canvas[top : top + tile_h, left : left + tile_w] = picture.tile(frame, (tile_w, tile_h))
    return canvas


def _audio_chunk(voices: list[_Voice], start: int, layout: str) -> av.AudioFrame:
    mix = np.zeros((2 if layout == "stereo" else 1, AAC_FRAME), np.float32)
    for voice in voices:
        voice.mix_into(mix, start)
    frame = av.AudioFrame.from_ndarray(soft_limit(mix), format="fltp", layout=layout)
    frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, start, Fraction(1, SAMPLE_RATE)
    return frame


def _over(pictures: list[_Picture], voices: list[_Voice], t: float) -> bool:
    """True once every participant's last frame and last sample lie behind t."""
    return all(p.finished and t >= p.end for p in pictures) and all(
        v.finished and t * SAMPLE_RATE >= v.end for v in voices
    )


def _add_video_stream(container: av.container.OutputContainer, width: int, height: int, fps: int) -> av.VideoStream:
    codec = "libx264" if "libx264" in av.codecs_available else "h264"
    stream = container.add_stream(codec, rate=fps, options={"preset": "veryfast"} if codec == "libx264" else {})
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    return stream


def _write(
    container: av.container.OutputContainer,
    pictures: list[_Picture],
    voices: list[_Voice],
    width: int,
    height: int,
    fps: int,
    layout: str,
) -> None:
    """Frame by frame: draw the grid at t, then mix the audio up to the next frame's time."""
    video = _add_video_stream(container, width, height, fps)
    audio = container.add_stream("aac", rate=SAMPLE_RATE, layout=layout)
    cells = grid_cells(len(pictures), width, height)
    index, samples_written = 0, 0
    while not _over(pictures, voices, index / fps):
        frame = av.VideoFrame.from_ndarray(_canvas(pictures, cells, index / fps, width, height), format="rgb24")
        frame.pts, frame.time_base = index, Fraction(1, fps)
        container.mux(video.encode(frame))
        index += 1
        while samples_written < index * SAMPLE_RATE // fps:
            container.mux(audio.encode(_audio_chunk(voices, samples_written, layout)))
            samples_written += AAC_FRAME
    container.mux(video.encode(None))
    container.mux(audio.encode(None))


def compose_take(sources: list[Source], output: Path, *, width: int = 1280, height: int = 720, fps: int = 15) -> Path:
    """Compose one take from its participants' recordings into a single MP4 at `output`, and return `output`.

    Every participant's video goes into a grid (1 -> full frame, 2 -> side by side, 3-4 -> 2x2, more -> ceil(sqrt)
    columns), letterboxed keeping aspect, black where a participant has no picture yet or any more. All audio is
    resampled to 48 kHz (mono or stereo), aligned by offset, summed and soft-limited. The file is H.264 (yuv420p, even
    dimensions) + AAC, written to a temporary file beside `output` and renamed over it.

    Raises ValueError when not one of the sources can be read."""
    if width < 2 or height < 2 or fps <= 0:
        raise ValueError(f"cannot compose a take at {width}x{height}, {fps} fps")
    output = Path(output)
    width, height = width - width % 2, height - height % 2
    probes = [probe for probe in map(_probe, sources) if probe is not None]
    layout = "stereo" if any(probe.channels >= 2 for probe in probes) else "mono"
    pictures, voices = _open_cursors(probes, layout)
    try:
        if not pictures and not voices:
            names = ", ".join(s.label or s.path.name for s in sources) or "no files given"
            raise ValueError(
                f"no usable recording for this take: none of {len(sources)} source(s) could be read ({names})"
            )
        partial = output.with_name(f".{output.name}.{uuid.uuid4().hex}.part")
        try:
            with av.open(str(partial), "w", format="mp4", options={"movflags": "faststart"}) as container:
                _write(container, pictures, voices, width, height, fps, layout)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    finally:
        for cursor in [*pictures, *voices]:
            cursor.close()
    log.info("composed take %s from %d picture(s) and %d voice(s)", output, len(pictures), len(voices))
    return output
