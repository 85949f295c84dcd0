"""Datasets read the real raw files in ../shared/datasets (skipped when absent)."""

import os
import pickle
import shutil
import zipfile
from pathlib import Path
from urllib.error import URLError

import networkx as nx
import pytest
import torch

from geode_core.data import Data
from geode_core.datasets import InMemoryDataset, KarateClub, Planetoid, TUDataset, download
from geode_core.datasets.planetoid import read_planetoid_pickle

REPO_ROOT = Path(__file__).resolve().parents[3]
DATASETS = Path(os.environ.get("GEODE_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))
PLANETOID_RAW = DATASETS / "planetoid" / "raw"
MUTAG_RAW = DATASETS / "TU" / "MUTAG" / "raw"


REAL_URLOPEN = download.urlopen


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Tests never reach the network: every download fails as it would offline."""
    def refuse(url, *args, **kwargs):
        raise URLError(f"offline test: refused {url}")

    monkeypatch.setattr(download, "urlopen", refuse)


def copy_planetoid(root: Path, name: str) -> Path:
    if not (PLANETOID_RAW / f"ind.{name.lower()}.x").exists():
        pytest.skip(f"Planetoid raw files for {name} not found in {PLANETOID_RAW} "
                    f"(set GEODE_DATASETS to the shared datasets folder)")
    raw = root / name / "raw"
    raw.mkdir(parents=True)
    for f in PLANETOID_RAW.glob(f"ind.{name.lower()}.*"):
        shutil.copy(f, raw)
    return root


def test_cora_known_facts(tmp_path):
    root = copy_planetoid(tmp_path, "Cora")
    ds = Planetoid(root, "Cora")
    d = ds[0]
    assert len(ds) == 1 and d.num_nodes == 2708 and d.num_edges == 10556
    assert ds.num_features == 1433 and ds.num_classes == 7
    assert [int(d[m].sum()) for m in ("train_mask", "val_mask", "test_mask")] == [140, 500, 1000]
    assert not bool((d.train_mask & d.test_mask).any())
    assert d.is_undirected() and d.validate()
    assert torch.equal(d.x.sum(1) > 0, torch.ones(2708, dtype=torch.bool))
    # processed file reloads with weights_only and gives the same graph
    again = Planetoid(root, "Cora")[0]
    assert torch.equal(again.edge_index, d.edge_index) and torch.equal(again.x, d.x)


def test_citeseer_zero_fills_isolated_test_nodes(tmp_path):
    root = copy_planetoid(tmp_path, "CiteSeer")
    d = Planetoid(root, "CiteSeer")[0]
    assert d.num_nodes == 3327 and d.num_node_features == 3703
    assert int(d.y.max()) + 1 == 6
    assert [int(d[m].sum()) for m in ("train_mask", "val_mask", "test_mask")] == [120, 500, 1000]
    empty_rows = (d.x.sum(1) == 0).nonzero().view(-1)
    assert empty_rows.numel() >= 15
    test_index = [int(v) for v in (PLANETOID_RAW / "ind.citeseer.test.index").read_text().split()]
    filled = set(range(min(test_index), max(test_index) + 1)) - set(test_index)
    assert len(filled) == 15 and filled <= set(empty_rows.tolist())


def test_changed_pre_transform_reprocesses(tmp_path):
    root = copy_planetoid(tmp_path, "Cora")

    class Scale:
        def __init__(self, k):
            self.k = k

        def __call__(self, data):
            data.x = data.x * self.k
            return data

        def __repr__(self):
            return f"Scale({self.k})"

    a = Planetoid(root, "Cora", pre_transform=Scale(2))[0]
    assert float(a.x.max()) == 2.0
    with pytest.warns(UserWarning, match=r"re-processing with pre_transform=Scale\(3\)"):
        b = Planetoid(root, "Cora", pre_transform=Scale(3))[0]
    assert float(b.x.max()) == 3.0
    assert not list((root / "Cora" / "processed").glob("*.tmp"))


def test_offline_error_names_files_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        Planetoid(tmp_path, "Cora")
    msg = str(err.value)
    assert "ind.cora.x" in msg and "ind.cora.test.index" in msg
    assert str(tmp_path / "Cora" / "raw") in msg
    assert "Downloading them failed" in msg and "offline test: refused https://github.com/" in msg
    with pytest.raises(FileNotFoundError, match=r"MUTAG_A\.txt.*chrsmrrs\.com/graphkerneldatasets/MUTAG\.zip"):
        TUDataset(tmp_path, "MUTAG")
    assert not [p for p in (tmp_path / "MUTAG" / "raw").rglob("*") if p.is_file()]


def test_planetoid_downloads_missing_files(tmp_path, monkeypatch):
    if not (PLANETOID_RAW / "ind.cora.x").exists():
        pytest.skip(f"Planetoid raw files not found in {PLANETOID_RAW}")
    monkeypatch.setattr(download, "urlopen", REAL_URLOPEN)
    monkeypatch.setattr(Planetoid, "url", PLANETOID_RAW.as_uri())
    raw = tmp_path / "Cora" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(PLANETOID_RAW / "ind.cora.graph", raw)  # only the others are fetched
    d = Planetoid(tmp_path, "Cora", log=False)[0]
    assert d.num_nodes == 2708 and len(list(raw.iterdir())) == 8


def test_tu_downloads_and_extracts_archive(tmp_path, monkeypatch):
    if not (MUTAG_RAW / "MUTAG_A.txt").exists():
        pytest.skip(f"MUTAG raw files not found in {MUTAG_RAW}")
    server = tmp_path / "server"
    server.mkdir()
    with zipfile.ZipFile(server / "MUTAG.zip", "w") as archive:
        for f in MUTAG_RAW.glob("MUTAG_*.txt"):
            archive.write(f, f"MUTAG/{f.name}")
    monkeypatch.setattr(download, "urlopen", REAL_URLOPEN)
    monkeypatch.setattr(TUDataset, "url", server.as_uri())
    ds = TUDataset(tmp_path / "data", "MUTAG", log=False)
    assert len(ds) == 188 and (tmp_path / "data" / "MUTAG" / "raw" / "MUTAG_A.txt").exists()


def test_restricted_unpickler_rejects_other_types(tmp_path):
    class Payload:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    evil = tmp_path / "ind.cora.x"
    evil.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(pickle.UnpicklingError, match=r"refers to (posix|nt)\.system"):
        read_planetoid_pickle(str(evil))
    evil.write_bytes(pickle.dumps({"a": [1, 2]}))
    assert read_planetoid_pickle(str(evil)) == {"a": [1, 2]}
    evil.write_bytes(pickle.dumps(Path("x")))
    with pytest.raises(pickle.UnpicklingError, match="pathlib"):
        read_planetoid_pickle(str(evil))


def test_planetoid_full_and_random_splits(tmp_path):
    root = copy_planetoid(tmp_path, "Cora")
    public = Planetoid(root, "Cora", log=False)[0]
    full = Planetoid(root, "Cora", split="full", log=False)[0]
    assert int(full.train_mask.sum()) == 2708 - 1500
    assert torch.equal(full.val_mask, public.val_mask) and torch.equal(full.test_mask, public.test_mask)
    torch.manual_seed(0)
    rnd = Planetoid(root, "Cora", split="random", num_train_per_class=10, num_val=300, num_test=400,
                    log=False)[0]
    assert [int(rnd[m].sum()) for m in ("train_mask", "val_mask", "test_mask")] == [70, 300, 400]
    assert torch.bincount(rnd.y[rnd.train_mask]).tolist() == [10] * 7
    assert int((rnd.train_mask.int() + rnd.val_mask.int() + rnd.test_mask.int()).max()) == 1
    with pytest.raises(ValueError, match="split must be one of"):
        Planetoid(root, "Cora", split="geom")


def test_processed_file_is_plain_tensors(tmp_path):
    root = copy_planetoid(tmp_path, "Cora")
    Planetoid(root, "Cora")
    obj = torch.load(root / "Cora" / "processed" / "data.pt", weights_only=True)
    assert isinstance(obj["graphs"][0]["x"], torch.Tensor)


@pytest.fixture
def mutag(tmp_path):
    if not (MUTAG_RAW / "MUTAG_A.txt").exists():
        pytest.skip(f"MUTAG raw files not found in {MUTAG_RAW} (set GEODE_DATASETS)")
    shutil.copytree(MUTAG_RAW, tmp_path / "MUTAG" / "raw")
    return TUDataset(tmp_path, "MUTAG")


def test_mutag_known_facts(mutag):
    assert len(mutag) == 188
    assert sum(d.num_nodes for d in mutag) == 3371
    assert sum(d.num_edges for d in mutag) == 7442
    assert mutag.num_node_features == 7 and mutag.num_edge_features == 4
    assert mutag.num_classes == 2
    first = mutag[0]
    assert first.num_nodes == 17 and first.num_edges == 38
    assert all(d.validate() for d in mutag)
    # independent reference: first graph's edges straight from the text file (1-based)
    lines = (MUTAG_RAW / "MUTAG_A.txt").read_text().split("\n")[:38]
    ref = {tuple(int(v) - 1 for v in ln.split(",")) for ln in lines}
    assert set(map(tuple, first.edge_index.t().tolist())) == ref
    labels = [int(v) for v in (MUTAG_RAW / "MUTAG_node_labels.txt").read_text().split()[:17]]
    assert first.x.argmax(1).tolist() == labels
    assert sorted(mutag.indices()) == list(range(188))


def test_indexing_slicing_shuffle(mutag):
    sub = mutag[10:20]
    assert len(sub) == 10 and torch.equal(sub[0].edge_index, mutag[10].edge_index)
    picked = mutag[torch.tensor([3, 1])]
    assert picked[1].num_nodes == mutag[1].num_nodes
    mask = torch.zeros(188, dtype=torch.bool)
    mask[[5, 7]] = True
    assert len(mutag[mask]) == 2
    torch.manual_seed(0)
    shuffled, perm = mutag.shuffle(return_perm=True)
    assert sorted(perm.tolist()) == list(range(188))
    assert shuffled[0].num_nodes == mutag[int(perm[0])].num_nodes
    with pytest.raises(IndexError):
        mutag[188]


def test_karate_club_matches_networkx():
    ds = KarateClub()
    d = ds[0]
    G = nx.karate_club_graph()
    assert d.num_nodes == 34 and d.num_edges == 2 * G.number_of_edges() == 156
    assert {tuple(sorted(e)) for e in d.edge_index.t().tolist()} == {tuple(sorted(e)) for e in G.edges}
    assert d.y.tolist() == [int(G.nodes[i]["club"] != "Mr. Hi") for i in range(34)]
    assert d.is_undirected() and ds.num_classes == 2


def test_custom_in_memory_dataset(tmp_path):
    class Toy(InMemoryDataset):
        @property
        def processed_file_names(self):
            return "toy.pt"

        def process(self):
            graphs = [Data(x=torch.full((i + 1, 2), float(i)), edge_index=torch.tensor([[0], [0]]))
                      for i in range(4)]
            self.save(self.process_data_list(graphs), self.processed_paths[0])

    ds = Toy(tmp_path, pre_filter=lambda d: d.num_nodes % 2 == 0,
             transform=lambda d: Data(x=d.x + 1, edge_index=d.edge_index))
    assert len(ds) == 2 and ds[0].x[0, 0] == 2.0 and ds[1].num_nodes == 4


def test_crash_mid_write_leaves_no_processed_file(tmp_path, monkeypatch):
    from geode_core.datasets import dataset as dataset_module

    class Toy(InMemoryDataset):
        @property
        def processed_file_names(self):
            return "toy.pt"

        def process(self):
            self.save([Data(x=torch.ones(3, 1), edge_index=torch.tensor([[0], [1]]))],
                      self.processed_paths[0])

    real_save = torch.save

    def crash(obj, fh):
        fh.write(b"half a file")
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(dataset_module.torch, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        Toy(tmp_path, log=False)
    assert not list((tmp_path / "processed").iterdir())  # no data file, no temp file
    monkeypatch.setattr(dataset_module.torch, "save", real_save)
    assert Toy(tmp_path, log=False)[0].num_nodes == 3


def test_log_flag_controls_progress_output(tmp_path, capsys):
    class Toy(InMemoryDataset):
        @property
        def processed_file_names(self):
            return "toy.pt"

        def process(self):
            graphs = [Data(x=torch.ones(2, 1), edge_index=torch.tensor([[0], [1]])) for _ in range(3)]
            self.save(self.process_data_list(graphs), self.processed_paths[0])

    Toy(tmp_path / "quiet", pre_transform=lambda d: d, log=False)
    assert capsys.readouterr().err == ""
    Toy(tmp_path / "loud", pre_transform=lambda d: d)
    err = capsys.readouterr().err
    assert "Processing Toy" in err and "Toy: pre_transform" in err and "/3" in err


def test_items_are_copies_that_share_tensors():
    ds = KarateClub()
    first = ds[0]
    first.x = first.x * 0
    first.extra = 1
    again = ds[0]
    assert again.x.sum() == 34 and "extra" not in again
    assert again.edge_index.data_ptr() == ds[0].edge_index.data_ptr()
