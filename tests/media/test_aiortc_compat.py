"""aiortc's privates are used only through peerlearn/media/aiortc_compat.py, and only on a version it was
written for: an aiortc upgrade fails here, saying what to re-check, before it breaks forwarding in a room."""

from __future__ import annotations

import re
from pathlib import Path

from aiortc import RTCPeerConnection

import peerlearn
from peerlearn.media import aiortc_compat
from tests.media.conftest import run_async

PRIVATE_USE = re.compile(r"_RTC\w+__\w+|\._send_rtcp_pli\b|\._send_keyframe\b|_RTCRtp\w+")


def test_the_installed_aiortc_is_a_version_the_compat_module_was_written_for():
    problem = aiortc_compat.version_problem()
    assert problem is None, problem


def test_every_private_the_compat_module_relies_on_exists_in_the_installed_aiortc():
    async def check() -> list[str]:
        pc = RTCPeerConnection()
        transceiver = pc.addTransceiver("video")
        try:
            return aiortc_compat.missing_privates(transceiver.receiver, transceiver.sender)
        finally:
            await pc.close()

    missing = run_async(check())
    assert missing == [], (
        f"aiortc {aiortc_compat.installed_version()} lacks what peerlearn/media/aiortc_compat.py uses: "
        + "; ".join(missing)
    )


def test_the_check_names_each_private_it_cannot_find():
    class Bare:
        pass

    missing = aiortc_compat.missing_privates(Bare(), Bare())
    assert len([m for m in missing if m.startswith(("RTCRtpReceiver.", "RTCRtpSender."))]) == 4


def test_no_other_module_reaches_into_aiortc_privates():
    root = Path(peerlearn.__file__).parent
    compat = Path(aiortc_compat.__file__).resolve()
    offenders = {
        str(path.relative_to(root)): sorted(set(PRIVATE_USE.findall(path.read_text())))
        for path in root.rglob("*.py")
        if path.resolve() != compat and PRIVATE_USE.search(path.read_text())
    }
    assert offenders == {}, f"aiortc privates outside aiortc_compat.py: {offenders}"
