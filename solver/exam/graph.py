"""The exam conflict graph: exams are vertices, two exams sharing students an edge weighted by
the number of shared students. Stored as CSR arrays for the compiled search; also available as a
networkx graph for cliques and explanations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import numpy as np

from models.exam_instance import ExamInstance


@dataclass(frozen=True)
class ExamGraph:
    instance: ExamInstance
    n_exams: int
    n_periods: int
    n_students: int
    adj_ptr: np.ndarray  # neighbours of exam e: adj_idx[adj_ptr[e]:adj_ptr[e + 1]]
    adj_idx: np.ndarray
    adj_w: np.ndarray  # shared students per edge

    @classmethod
    def build(cls, instance: ExamInstance) -> ExamGraph:
        index = instance.exam_index
        shared: Counter[tuple[int, int]] = Counter()
        for exams in instance.student_exams.values():
            ids = sorted(index[e] for e in exams)
            shared.update(combinations(ids, 2))
        neighbours: list[list[tuple[int, int]]] = [[] for _ in instance.exams]
        for (a, b), w in shared.items():
            neighbours[a].append((b, w))
            neighbours[b].append((a, w))
        ptr = np.zeros(len(instance.exams) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(n) for n in neighbours])
        flat = [pair for n in neighbours for pair in sorted(n)]
        return cls(
            instance=instance,
            n_exams=len(instance.exams),
            n_periods=len(instance.periods),
            n_students=len(instance.students),
            adj_ptr=ptr,
            adj_idx=np.array([b for b, _ in flat], dtype=np.int64),
            adj_w=np.array([w for _, w in flat], dtype=np.int64),
        )

    def neighbours(self, e: int) -> np.ndarray:
        return self.adj_idx[self.adj_ptr[e] : self.adj_ptr[e + 1]]

    def to_networkx(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n_exams))
        for e in range(self.n_exams):
            for i in range(self.adj_ptr[e], self.adj_ptr[e + 1]):
                if self.adj_idx[i] > e:
                    graph.add_edge(e, int(self.adj_idx[i]), weight=int(self.adj_w[i]))
        return graph
