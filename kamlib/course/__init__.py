"""The course pack for trainers (``kam course``): graded exercises from the source cases in
nbgrader's format, with handouts. :func:`build_course` writes it; :mod:`.assignments` holds the
five assignments, :mod:`.messages` their words in both languages."""

from kamlib.course.build import build_course

__all__ = ["build_course"]
