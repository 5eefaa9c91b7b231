import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from reviews.analysis.sentiment import ModelArtifactError, default_model, merchant_model_load


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _valid_arrays():
    header = {
        "format": "ecomops-nblr",
        "format_version": 1,
        "hash_bits": 21,
        "language": "en",
        "feature_set": "en-word12",
        "intercept": 0.0,
        "info": {},
    }
    return {
        "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
        "buckets": np.array([1, 2], dtype=np.int64),
        "idf": np.array([1.0, 1.0], dtype=np.float32),
        "weights": np.array([0.5, -0.5], dtype=np.float32),
    }


class Boom:
    def __reduce__(self):
        return (exec, ("raise SystemExit('pickle was executed')",))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a model at all",
        pickle.dumps({"weights": [1, 2, 3]}),
        pickle.dumps(Boom()),
        b"PK\x03\x04" + b"\x00" * 40,
    ],
)
def test_loading_garbage_bytes_raises_a_clear_error(data):
    with pytest.raises(ModelArtifactError):
        merchant_model_load(data)


def test_an_archive_holding_a_pickled_object_array_is_refused_without_unpickling():
    arrays = _valid_arrays()
    arrays["weights"] = np.array([Boom()], dtype=object)
    with pytest.raises(ModelArtifactError):
        merchant_model_load(_npz(**arrays))


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.pop("weights"),
        lambda a: a.update(extra=np.zeros(2)),
        lambda a: a.update(buckets=np.array([1, 1 << 30], dtype=np.int64)),
        lambda a: a.update(weights=np.array([np.nan, 1.0], dtype=np.float32)),
        lambda a: a.update(idf=np.array([1.0], dtype=np.float32)),
        lambda a: a.update(header=np.frombuffer(b'{"format": "other"}', dtype=np.uint8)),
        lambda a: a.update(header=np.frombuffer(b"\xff\xfe", dtype=np.uint8)),
    ],
)
def test_archives_that_are_not_our_models_are_refused(change):
    arrays = _valid_arrays()
    change(arrays)
    with pytest.raises(ModelArtifactError):
        merchant_model_load(_npz(**arrays))


def test_a_hand_built_valid_archive_loads_and_scores():
    scorer = merchant_model_load(_npz(**_valid_arrays()))
    assert scorer.predict_proba(["anything"]).shape == (1,)


def test_a_truncated_model_is_refused():
    data = default_model("en").to_bytes()
    with pytest.raises(ModelArtifactError):
        merchant_model_load(data[: len(data) // 2])


def test_model_archives_are_plain_zip_files_of_npy_arrays():
    data = default_model("en").to_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == [
        "buckets.npy",
        "fingerprints.npy",
        "header.npy",
        "idf.npy",
        "weights.npy",
    ]
