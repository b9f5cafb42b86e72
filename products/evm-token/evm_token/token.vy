# pragma version 0.4.3
"""
@title Sandbox settlement token
@notice A token ledger for the sandbox's ledger contract v1. Transfers are meta-transactions: the owner of
        `frm` signs the canonical JSON {"amount","from","nonce","to"} with ECDSA over secp256k1 (SHA-256
        pre-hash, r||s, low s); anyone (the operator's relayer) submits them, and the contract rebuilds the
        message, recovers the signer with ecrecover and checks the account nonce. Only the operator mints
        and burns (declared supply changes).
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    amount: uint256
    nonce: uint256

event Mint:
    receiver: indexed(address)
    amount: uint256

event Burn:
    sender: indexed(address)
    amount: uint256

HALF_N: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168

operator: public(address)
balanceOf: public(HashMap[address, uint256])
nonces: public(HashMap[address, uint256])
totalSupply: public(uint256)
minted: public(uint256)
burned: public(uint256)


@deploy
def __init__():
    self.operator = msg.sender


@internal
@pure
def _hex_word(a: uint256, first: uint256, count: uint256) -> uint256:
    """ASCII hex of `count` (≤ 16) bytes of the 20-byte `a`, starting at byte `first`, packed big-endian."""
    out: uint256 = 0
    for i: uint256 in range(16):
        if i >= count:
            break
        b: uint256 = (a >> (8 * (19 - first - i))) & 255
        hi: uint256 = b >> 4
        lo: uint256 = b & 15
        hi = hi + 48 if hi < 10 else hi + 87
        lo = lo + 48 if lo < 10 else lo + 87
        out = (out << 16) | (hi << 8) | lo
    return out


@internal
@pure
def _hex(account: address) -> String[40]:
    a: uint256 = convert(account, uint256)
    head: bytes32 = convert(self._hex_word(a, 0, 16), bytes32)
    tail: bytes32 = convert(self._hex_word(a, 16, 4) << 192, bytes32)
    return convert(concat(head, slice(tail, 0, 8)), String[40])


@internal
@pure
def _amount(units: uint256) -> String[158]:
    cents: uint256 = units % 100
    pad: String[1] = "0" if cents < 10 else ""
    return concat(uint2str(units // 100), ".", pad, uint2str(cents))


@internal
@pure
def _message(frm: address, to: address, amount: uint256, nonce: uint256) -> String[400]:
    return concat('{"amount":"', self._amount(amount), '","from":"', self._hex(frm), '","nonce":',
                  uint2str(nonce), ',"to":"', self._hex(to), '"}')


@external
@view
def message(frm: address, to: address, amount: uint256, nonce: uint256) -> String[400]:
    return self._message(frm, to, amount, nonce)


@external
def transfer(frm: address, to: address, amount: uint256, nonce: uint256, r: uint256, s: uint256):
    assert amount > 0, "invalid: amount"
    assert frm != to, "invalid: from = to"
    assert s <= HALF_N, "bad_signature: high s"
    digest: bytes32 = sha256(self._message(frm, to, amount, nonce))
    signer: address = ecrecover(digest, 27, r, s)
    if signer != frm:
        signer = ecrecover(digest, 28, r, s)
    assert signer == frm and frm != empty(address), "bad_signature"
    assert nonce == self.nonces[frm], "bad_nonce"
    assert self.balanceOf[frm] >= amount, "insufficient_funds"
    self.nonces[frm] = nonce + 1
    self.balanceOf[frm] -= amount
    self.balanceOf[to] += amount
    log Transfer(sender=frm, receiver=to, amount=amount, nonce=nonce)


@external
def mint(to: address, amount: uint256):
    assert msg.sender == self.operator, "wrong_party"
    assert amount > 0, "invalid: amount"
    self.balanceOf[to] += amount
    self.totalSupply += amount
    self.minted += amount
    log Mint(receiver=to, amount=amount)


@external
def burn(frm: address, amount: uint256):
    assert msg.sender == self.operator, "wrong_party"
    assert amount > 0, "invalid: amount"
    assert self.balanceOf[frm] >= amount, "insufficient_funds"
    self.balanceOf[frm] -= amount
    self.totalSupply -= amount
    self.burned += amount
    log Burn(sender=frm, amount=amount)
