from itertools import product

import pytest

from steps.operators.keyed_permutation import KeyedPermutation, format_preserving

KEY = b"k" * 32


@pytest.mark.parametrize("size", [2, 3, 10, 26, 1000, 4097])
def test_a_keyed_permutation_is_a_bijection_with_its_inverse(size):
    permutation = KeyedPermutation(KEY, "t", size)
    images = [permutation.encrypt(x) for x in range(size)]
    assert sorted(images) == list(range(size))
    assert [permutation.decrypt(y) for y in images] == list(range(size))


def test_the_successor_is_one_cycle_through_the_domain():
    permutation = KeyedPermutation(KEY, "t", 1000)
    successors = [permutation.successor(x) for x in range(1000)]
    assert sorted(successors) == list(range(1000))
    assert all(s != x for x, s in enumerate(successors))
    seen, x = set(), 0
    while x not in seen:
        seen.add(x)
        x = permutation.successor(x)
    assert len(seen) == 1000


def test_the_tweak_and_the_key_choose_the_permutation():
    base = [KeyedPermutation(KEY, "a", 100).encrypt(x) for x in range(100)]
    assert base != [KeyedPermutation(KEY, "b", 100).encrypt(x) for x in range(100)]
    assert base != [KeyedPermutation(b"o" * 32, "a", 100).encrypt(x) for x in range(100)]


def test_a_layout_keeps_its_shape_and_no_two_values_meet():
    values = ["".join(p) for p in product("0123456789", "ABC", "0123456789")]  # 300 values of one layout
    outputs = [format_preserving(KEY, "id", f"{v[0]}-{v[1]}{v[2]}") for v in values]
    assert len(set(outputs)) == len(outputs)
    for value, output in zip(values, outputs, strict=True):
        assert output != f"{value[0]}-{value[1]}{value[2]}"
        assert output[0].isdigit() and output[1] == "-" and output[2].isupper() and output[3].isdigit()


def test_long_layouts_are_permuted_chunk_by_chunk_and_stay_one_to_one():
    base = "1234567890" * 4
    outputs = {format_preserving(KEY, "id", base[:-1] + str(d)) for d in range(10)}
    outputs |= {format_preserving(KEY, "id", str(d) + base[1:]) for d in range(10)}
    assert len(outputs) == 19  # base itself is counted twice
    assert all(len(o) == 40 and o.isdigit() for o in outputs)


def test_kept_words_and_other_characters_stay():
    assert format_preserving(KEY, "web", "www.x9.com", keep=lambda s, e: e - s == 3).startswith("www.")
    assert format_preserving(KEY, "id", "--") == "--"
