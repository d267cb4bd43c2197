"""The collection after a replication (`sim.experiment.runner.collected_after`): it frees the
cyclic garbage made inside, looks at none of the objects alive before, and leaves the collector
as it found it."""

from __future__ import annotations

import gc
import weakref

from sim.experiment.runner import collected_after


class Node:
    def __init__(self):
        self.me = self            # a cycle: only the cyclic collector frees it


def test_garbage_cycles_made_inside_are_freed_and_older_ones_left_to_the_next_collection():
    gc.collect()
    old = Node()
    old_ref = weakref.ref(old)
    del old                                   # garbage from before the block
    kept = Node()                             # alive before the block: must survive
    with collected_after():
        inner = Node()
        inner_ref = weakref.ref(inner)
        del inner
    assert inner_ref() is None                # freed by the block's collection
    assert old_ref() is not None              # the older objects were out of the collector's sight
    assert gc.get_freeze_count() == 0         # ... and are back in it:
    gc.collect()
    assert old_ref() is None
    assert kept.me is kept


def test_a_cycle_that_keeps_an_inside_object_alive_from_outside_is_not_freed():
    holder = []
    with collected_after():
        inner = Node()
        holder.append(inner)                  # an older object refers to it
        ref = weakref.ref(inner)
        del inner
    assert ref() is holder[0]


def test_objects_the_process_froze_itself_stay_frozen():
    gc.collect()
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with collected_after():
            inner = Node()
            ref = weakref.ref(inner)
            del inner
        assert ref() is None                  # a full collection instead
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_an_exception_inside_still_collects_and_thaws():
    try:
        with collected_after():
            ref = weakref.ref(Node())
            raise RuntimeError("inside")
    except RuntimeError:
        pass
    assert ref() is None and gc.get_freeze_count() == 0
