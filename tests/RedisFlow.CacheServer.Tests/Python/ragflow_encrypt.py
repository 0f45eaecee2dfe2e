"""Encrypts a file as RAGFlow stores it when RAGFLOW_CRYPTO_ENABLED is true, with Python's `cryptography`
(Debian's python3-cryptography): an implementation independent of the .NET and BouncyCastle code under test.

usage: ragflow_encrypt.py ALGORITHM KEY IV_HEX IN OUT
  ALGORITHM: aes-256-cbc | aes-128-cbc | sm4-cbc
  output: b"RAGF" + IV (16 bytes) + CBC ciphertext of the PKCS7-padded input;
  the cipher key is PBKDF2-HMAC-SHA256(key, salt b"ragflow_crypto_salt", 100000 iterations).
"""
import sys

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC


def main(argv):
    algorithm, key, iv_hex, source, target = argv[1:6]
    length = 32 if algorithm == "aes-256-cbc" else 16
    derived = PBKDF2HMAC(algorithm=hashes.SHA256(), length=length, salt=b"ragflow_crypto_salt", iterations=100000).derive(key.encode("utf-8"))
    block = algorithms.SM4(derived) if algorithm == "sm4-cbc" else algorithms.AES(derived)
    iv = bytes.fromhex(iv_hex)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(block, modes.CBC(iv)).encryptor()
    with open(source, "rb") as plain, open(target, "wb") as out:
        out.write(b"RAGF" + iv)
        while True:
            chunk = plain.read(1 << 20)
            if not chunk:
                break
            out.write(encryptor.update(padder.update(chunk)))
        out.write(encryptor.update(padder.finalize()) + encryptor.finalize())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
