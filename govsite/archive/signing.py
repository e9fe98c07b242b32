"""Signing and verifying build manifests: Ed25519 (``cryptography``) or SM2 with SM3 (GB/T 32918, ``gmssl``).

Keys are PEM files as OpenSSL writes them: ``openssl genpkey -algorithm ed25519`` or
``openssl genpkey -algorithm SM2`` (PKCS#8), public keys as SubjectPublicKeyInfo (``openssl pkey
-pubout``); ``generate_key`` writes the same. An SM2 signature is the DER ``SEQUENCE {r, s}`` over
SM3(Z || message) with the default user id ``1234567812345678``, so OpenSSL verifies ours and we
verify OpenSSL's (tested). gmssl supplies the curve arithmetic only: SM3 comes from OpenSSL (fast),
the nonce from ``secrets``, and r, s are range-checked before verifying.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import KeyProblem
from .hashing import SM3

ALGORITHMS = ("ed25519", "sm2")
PASSWORD_ENV = "GOVSITE_MANIFEST_KEY_PASSWORD"

# ---- a little DER, enough for SM2 keys and signatures --------------------------------------------

_OID_EC = bytes.fromhex("06072a8648ce3d0201")  # 1.2.840.10045.2.1 id-ecPublicKey
_OID_SM2 = bytes.fromhex("06082a811ccf5501822d")  # 1.2.156.10197.1.301 sm2p256v1


def _tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _int(value: int) -> bytes:
    raw = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big")
    return _tlv(0x02, raw)


def _read(data: bytes, pos: int = 0) -> tuple[int, bytes, int]:
    """``(tag, content, next position)`` of the TLV at ``pos``; ValueError when malformed."""
    if pos + 2 > len(data):
        raise ValueError("truncated DER")
    tag, size = data[pos], data[pos + 1]
    pos += 2
    if size & 0x80:
        count = size & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise ValueError("bad DER length")
        size = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + size > len(data):
        raise ValueError("truncated DER")
    return tag, data[pos:pos + size], pos + size


def _children(content: bytes) -> list[tuple[int, bytes]]:
    items, pos = [], 0
    while pos < len(content):
        tag, value, pos = _read(content, pos)
        items.append((tag, value))
    return items


def _pem_body(text: bytes) -> tuple[str, bytes]:
    lines = text.decode("ascii", "replace").strip().splitlines()
    if not lines or not lines[0].startswith("-----BEGIN "):
        raise ValueError("not a PEM file")
    label = lines[0][len("-----BEGIN "):].rstrip("-")
    body = "".join(line for line in lines[1:] if not line.startswith("-----"))
    return label, base64.b64decode(body)


def _pem(label: str, der: bytes) -> bytes:
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return (f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n").encode("ascii")


# ---- SM2 -------------------------------------------------------------------------------------------

_SM2_A = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"
_SM2_B = "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"
_SM2_N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
_DEFAULT_ID = b"1234567812345678"


def _sm2(private_hex: str = "", public_xy: str = ""):
    from gmssl import sm2

    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_xy  # set directly: gmssl's constructor lstrip()s "04" and can eat digits
    return crypt


def _sm2_public_from_private(d: int) -> str:
    crypt = _sm2()
    return crypt._kg(d, crypt.ecc_table["g"])


def _sm2_e(public_xy: str, message: bytes) -> bytes:
    """SM3(Z_A || M) with the default user id (GB/T 32918.2 and GM/T 0009)."""
    z = SM3((len(_DEFAULT_ID) * 8).to_bytes(2, "big") + _DEFAULT_ID + bytes.fromhex(_SM2_A + _SM2_B)
            + bytes.fromhex(_sm2().ecc_table["g"]) + bytes.fromhex(public_xy)).digest()
    return SM3(z + message).digest()


def _sm2_spki(public_xy: str) -> bytes:
    algorithm = _tlv(0x30, _OID_EC + _OID_SM2)
    return _tlv(0x30, algorithm + _tlv(0x03, b"\x00\x04" + bytes.fromhex(public_xy)))


def _sm2_pkcs8(d: int, public_xy: str) -> bytes:
    inner = _tlv(0x30, _int(1) + _tlv(0x04, d.to_bytes(32, "big"))
                 + _tlv(0xA1, _tlv(0x03, b"\x00\x04" + bytes.fromhex(public_xy))))
    return _tlv(0x30, _int(0) + _tlv(0x30, _OID_EC + _OID_SM2) + _tlv(0x04, inner))


def _parse_sm2_private(der: bytes) -> int:
    _, body, _ = _read(der)
    items = _children(body)
    if len(items) < 3 or items[1][0] != 0x30 or _OID_SM2 not in _tlv(0x30, items[1][1]):
        raise ValueError("not an SM2 PKCS#8 key")
    _, ec, _ = _read(items[2][1])
    parts = _children(ec)
    if len(parts) < 2 or parts[1][0] != 0x04:
        raise ValueError("bad ECPrivateKey")
    d = int.from_bytes(parts[1][1], "big")
    if not 1 <= d < _SM2_N - 1:
        raise ValueError("SM2 private key out of range")
    return d


def _parse_sm2_public(der: bytes) -> str:
    _, body, _ = _read(der)
    items = _children(body)
    if len(items) != 2 or _OID_SM2 not in _tlv(0x30, items[0][1]) or items[1][0] != 0x03:
        raise ValueError("not an SM2 public key")
    point = items[1][1]
    if len(point) != 66 or point[:2] != b"\x00\x04":
        raise ValueError("SM2 public key is not an uncompressed point")
    return point[2:].hex()


# ---- keys ------------------------------------------------------------------------------------------

def key_id(spki_der: bytes) -> str:
    """``sha256:<hex>`` of the public key's SubjectPublicKeyInfo: names a key without revealing anything."""
    return "sha256:" + hashlib.sha256(spki_der).hexdigest()


@dataclass
class Signer:
    algorithm: str
    key_id: str
    _key: object

    def sign(self, message: bytes) -> bytes:
        if self.algorithm == "ed25519":
            return self._key.sign(message)
        d, public_xy = self._key
        e = _sm2_e(public_xy, message)
        crypt = _sm2(f"{d:064x}", public_xy)
        while True:
            k = secrets.randbelow(_SM2_N - 1) + 1
            signature = crypt.sign(e, f"{k:064x}")
            if signature:
                r, s = int(signature[:64], 16), int(signature[64:], 16)
                return _tlv(0x30, _int(r) + _int(s))


@dataclass
class Verifier:
    algorithm: str
    key_id: str
    _key: object

    def verify(self, message: bytes, signature: bytes) -> bool:
        if self.algorithm == "ed25519":
            try:
                self._key.verify(signature, message)
                return True
            except InvalidSignature:
                return False
        try:
            tag, body, end = _read(signature)
            parts = _children(body)
            if tag != 0x30 or end != len(signature) or len(parts) != 2 or any(t != 0x02 for t, _ in parts):
                return False
            r, s = (int.from_bytes(v, "big") for _, v in parts)
        except ValueError:
            return False
        if not (1 <= r < _SM2_N and 1 <= s < _SM2_N):
            return False
        crypt = _sm2("", self._key)
        return bool(crypt.verify(f"{r:064x}{s:064x}", _sm2_e(self._key, message)))


def _read_key_file(path: Path | str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise KeyProblem(f"{path}: cannot read the {what} ({exc.strerror})") from exc


def load_signer(path: Path | str) -> Signer:
    """A private key (PEM, PKCS#8): Ed25519, or SM2 as ``openssl genpkey -algorithm SM2`` writes it."""
    data = _read_key_file(path, "signing key")
    password = os.environ.get(PASSWORD_ENV, "").encode() or None
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except UnsupportedAlgorithm:
        key = None
    except (ValueError, TypeError) as exc:
        key = None
        error = exc
    else:
        error = None
    if isinstance(key, Ed25519PrivateKey):
        spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        return Signer("ed25519", key_id(spki), key)
    if key is not None:
        raise KeyProblem(f"{path}: a {type(key).__name__}; expected an Ed25519 or SM2 private key")
    try:
        label, der = _pem_body(data)
        if label != "PRIVATE KEY":
            raise ValueError(f"a {label}")
        d = _parse_sm2_private(der)
    except ValueError as exc:
        reason = error or exc
        raise KeyProblem(f"{path}: not an Ed25519 or SM2 private key in PEM (PKCS#8) form ({reason})") from None
    public_xy = _sm2_public_from_private(d)
    return Signer("sm2", key_id(_sm2_spki(public_xy)), (d, public_xy))


def load_verifier(path: Path | str) -> Verifier:
    """A public key (PEM SubjectPublicKeyInfo) or a private key (its public half is used)."""
    data = _read_key_file(path, "public key")
    if b"PRIVATE KEY" in data:
        signer = load_signer(path)
        if signer.algorithm == "ed25519":
            return Verifier("ed25519", signer.key_id, signer._key.public_key())
        return Verifier("sm2", signer.key_id, signer._key[1])
    try:
        key = serialization.load_pem_public_key(data)
    except (UnsupportedAlgorithm, ValueError):
        key = None
    if isinstance(key, Ed25519PublicKey):
        spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return Verifier("ed25519", key_id(spki), key)
    try:
        label, der = _pem_body(data)
        if label != "PUBLIC KEY":
            raise ValueError(f"a {label}")
        public_xy = _parse_sm2_public(der)
    except ValueError as exc:
        raise KeyProblem(f"{path}: not an Ed25519 or SM2 public key in PEM form ({exc})") from None
    return Verifier("sm2", key_id(der), public_xy)


def generate_key(algorithm: str) -> tuple[bytes, bytes]:
    """``(private PEM, public PEM)`` for a new key pair."""
    if algorithm == "ed25519":
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        return private, public
    if algorithm == "sm2":
        d = secrets.randbelow(_SM2_N - 2) + 1
        public_xy = _sm2_public_from_private(d)
        return _pem("PRIVATE KEY", _sm2_pkcs8(d, public_xy)), _pem("PUBLIC KEY", _sm2_spki(public_xy))
    raise KeyProblem(f"unknown key algorithm {algorithm!r}; expected one of {', '.join(ALGORITHMS)}")
