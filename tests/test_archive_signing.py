"""archive.signing: Ed25519 and SM2 keys, signatures, key ids, and SM2 interoperability with OpenSSL."""

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from govsite.archive.errors import KeyProblem
from govsite.archive.signing import _int, _tlv, generate_key, load_signer, load_verifier


def _pair(tmp_path, algorithm):
    private, public = generate_key(algorithm)
    (tmp_path / "k.pem").write_bytes(private)
    (tmp_path / "k.pub.pem").write_bytes(public)
    return load_signer(tmp_path / "k.pem"), load_verifier(tmp_path / "k.pub.pem")


@pytest.mark.parametrize("algorithm", ["ed25519", "sm2"])
def test_sign_and_verify(tmp_path, algorithm):
    signer, verifier = _pair(tmp_path, algorithm)
    assert signer.algorithm == verifier.algorithm == algorithm
    assert signer.key_id == verifier.key_id and signer.key_id.startswith("sha256:")
    message = "清单".encode() * 1000
    signature = signer.sign(message)
    assert verifier.verify(message, signature)
    assert not verifier.verify(message + b"x", signature)
    assert not verifier.verify(message, signature[:-1] + bytes([signature[-1] ^ 1]))
    assert not verifier.verify(message, b"")
    assert load_verifier(tmp_path / "k.pem").key_id == verifier.key_id  # a private key's public half
    (tmp_path / "other").mkdir()
    other = _pair(tmp_path / "other", algorithm)[1]
    assert not other.verify(message, signature)


def test_sm2_rejects_out_of_range_signatures(tmp_path):
    _, verifier = _pair(tmp_path, "sm2")
    n = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
    for r, s in ((0, 1), (1, 0), (n, 1), (1, n)):
        assert not verifier.verify(b"m", _tlv(0x30, _int(r) + _int(s)))


@pytest.mark.skipif(not shutil.which("openssl"), reason="no openssl command")
def test_sm2_interoperates_with_openssl(tmp_path):
    probe = subprocess.run(["openssl", "genpkey", "-algorithm", "SM2", "-out", str(tmp_path / "o.pem")],
                           capture_output=True)
    if probe.returncode:
        pytest.skip("this OpenSSL has no SM2")
    subprocess.run(["openssl", "pkey", "-in", str(tmp_path / "o.pem"), "-pubout", "-out", str(tmp_path / "o.pub")],
                   check=True)
    (tmp_path / "msg").write_bytes("网站清单".encode())
    sm3_with_id = ["-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"]
    subprocess.run(["openssl", "pkeyutl", "-sign", "-in", str(tmp_path / "msg"), "-inkey", str(tmp_path / "o.pem"),
                    *sm3_with_id, "-out", str(tmp_path / "o.sig")], check=True)
    assert load_verifier(tmp_path / "o.pub").verify("网站清单".encode(), (tmp_path / "o.sig").read_bytes())
    ours = load_signer(tmp_path / "o.pem")  # OpenSSL's key file loads as ours
    (tmp_path / "ours.sig").write_bytes(ours.sign("网站清单".encode()))
    checked = subprocess.run(["openssl", "pkeyutl", "-verify", "-in", str(tmp_path / "msg"), "-pubin", "-inkey",
                              str(tmp_path / "o.pub"), *sm3_with_id, "-sigfile", str(tmp_path / "ours.sig")],
                             capture_output=True, text=True)
    assert "Signature Verified Successfully" in checked.stdout
    generated, public = generate_key("sm2")
    (tmp_path / "g.pem").write_bytes(generated)
    derived = subprocess.run(["openssl", "pkey", "-in", str(tmp_path / "g.pem"), "-pubout"], capture_output=True,
                             check=True).stdout
    assert derived == public


def test_unusable_keys_are_named(tmp_path):
    (tmp_path / "text.pem").write_text("hello")
    ec_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (tmp_path / "p256.pem").write_bytes(ec_key)
    with pytest.raises(KeyProblem, match="text.pem: not an Ed25519 or SM2 private key"):
        load_signer(tmp_path / "text.pem")
    with pytest.raises(KeyProblem, match="p256.pem: a .*PrivateKey; expected an Ed25519 or SM2"):
        load_signer(tmp_path / "p256.pem")
    with pytest.raises(KeyProblem, match="cannot read"):
        load_signer(tmp_path / "missing.pem")
    with pytest.raises(KeyProblem, match="text.pem: not an Ed25519 or SM2 public key"):
        load_verifier(tmp_path / "text.pem")
    with pytest.raises(KeyProblem, match="unknown key algorithm 'rsa'"):
        generate_key("rsa")
