"""Query and path types shared by the routers: offset pagination and database ids."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2_147_483_647  # ids are 32-bit integers in the database: anything larger is no such object

Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="How many items to skip.")]
Limit = Annotated[int, Query(ge=1, le=200, description="How many items to return (at most 200).")]
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A database id.")]
