"""Results as files: an analysis result (a dataclass of frames and plain values) saved as one
JSON document plus one Parquet file per frame, and read back.

Nothing here runs code from the files: a dataclass is rebuilt only when its class is one of
kamlib's (looked up by name among kamlib's modules), frames are Parquet, the rest is JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

INDEX = "result.json"


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def frame(self, frame: pd.DataFrame) -> dict:
        """Write a frame as Parquet; object columns of lists, or of values Arrow cannot type
        (mixed), go to the JSON document instead, value by value, so they read back as they
        were."""
        name = f"frame-{self.count}.parquet"
        self.count += 1
        frame = frame.copy()
        frame.columns = [f"c{i}" for i in range(frame.shape[1])]
        loose = {}
        for position, column in enumerate(frame.columns):
            values = frame[column]
            if values.dtype != object:
                continue
            nested = values.map(lambda v: isinstance(v, list | tuple | dict | set)).any()
            try:
                typed = not nested and pa.array(values, from_pandas=True) is not None
            except (pa.ArrowTypeError, pa.ArrowInvalid):
                typed = False
            if not typed:
                loose[str(position)] = [self.encode(v) for v in values]
        frame = frame.drop(columns=[f"c{p}" for p in loose])
        frame.to_parquet(self.folder / name, index=True)
        return {"file": name, "loose": loose}

    def encode(self, value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            cls = type(value)
            return {
                "__dataclass__": f"{cls.__module__}:{cls.__qualname__}",
                "fields": {
                    f.name: self.encode(getattr(value, f.name)) for f in dataclasses.fields(value)
                },
            }
        if isinstance(value, pd.DataFrame):
            names = list(value.columns)
            return {"__frame__": self.frame(value), "columns": [self.encode(c) for c in names]}
        if isinstance(value, pd.Series):
            return {"__series__": self.frame(value.to_frame()), "name": self.encode(value.name)}
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return {"__float__": repr(value)}
        if isinstance(value, dt.datetime | pd.Timestamp):
            return {"__datetime__": value.isoformat()}
        if isinstance(value, dt.date):
            return {"__date__": value.isoformat()}
        if isinstance(value, tuple):
            return {"__tuple__": [self.encode(v) for v in value]}
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, dict):
            return {"__dict__": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if value is None or isinstance(value, bool | int | float | str):
            return value
        raise TypeError(f"cannot store a {type(value).__name__}")


def _class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if module != "kamlib" and not module.startswith("kamlib."):
        raise ValueError(f"not a kamlib class: {name}")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not dataclasses.is_dataclass(obj):
        raise ValueError(f"not a dataclass: {name}")
    return obj


def _read_frame(stored: dict, folder: Path) -> pd.DataFrame:
    frame = pd.read_parquet(folder / stored["file"])
    for position, values in sorted(stored["loose"].items(), key=lambda item: int(item[0])):
        column = pd.Series([_decode(v, folder) for v in values], index=frame.index, dtype=object)
        frame.insert(int(position), f"c{position}", column)
    return frame


def _decode(value: Any, folder: Path) -> Any:
    if isinstance(value, list):
        return [_decode(v, folder) for v in value]
    if not isinstance(value, dict):
        return value
    if "__dataclass__" in value:
        cls = _class(value["__dataclass__"])
        fields = {k: _decode(v, folder) for k, v in value["fields"].items()}
        init = {f.name for f in dataclasses.fields(cls) if f.init}
        obj = cls(**{k: v for k, v in fields.items() if k in init})
        for k, v in fields.items():
            if k not in init:
                object.__setattr__(obj, k, v)
        return obj
    if "__frame__" in value:
        frame = _read_frame(value["__frame__"], folder)
        frame.columns = [_decode(c, folder) for c in value["columns"]]
        return frame
    if "__series__" in value:
        series = _read_frame(value["__series__"], folder).iloc[:, 0]
        series.name = _decode(value["name"], folder)
        return series
    if "__float__" in value:
        return float(value["__float__"])
    if "__datetime__" in value:
        return pd.Timestamp(value["__datetime__"])
    if "__date__" in value:
        return dt.date.fromisoformat(value["__date__"])
    if "__tuple__" in value:
        return tuple(_decode(v, folder) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_decode(k, folder): _decode(v, folder) for k, v in value["__dict__"]}
    raise ValueError(f"unknown stored value: {sorted(value)}")


def save(result: Any, folder: str | Path) -> Path:
    """Write ``result`` into ``folder`` (created): ``result.json`` and its frames as Parquet."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(folder)
    document = writer.encode(result)
    (folder / INDEX).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder


def load(folder: str | Path) -> Any:
    """Read back what :func:`save` wrote."""
    folder = Path(folder)
    document = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    return _decode(document, folder)
