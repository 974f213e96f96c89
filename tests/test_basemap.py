"""The base map: shipped Natural Earth layers and their source cut, name placement, the built detail,
tile-layer settings, and the fixed base map's JavaScript (panes, escaping, size, sameness)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, shape
from streamlit_folium import _get_map_string, generate_js_hash

from gazetteer.place import Place
from mapapp.basemap import MapStyle, base_map, country_outlines
from mapapp.basemap.detail import (
    DATA_DIR,
    build_detail,
    detail_digest,
    district_labels,
    ensure_detail_file,
    shipped_layer,
    town_labels,
)
from mapapp.basemap.elements import DISPUTED_STYLES, Legend
from mapapp.basemap.labels import DISTRICT, LAST_ZOOM, TOWN, Label, box_at, first_zoom, place_labels
from mapapp.basemap.source import cut_layers, write_layers
from mapapp.basemap.tiles import (
    ONLINE_TILES,
    TileSource,
    configured_tiles,
    settings_path,
    tiles_from_env,
    tiles_from_settings,
)
from mapapp.errors import BaseMapError, SettingsError
from mapapp.geo import point

XSS = '<img src=x onerror="window.__pwned=1">'
STEPANAKERT = (39.8177, 46.7528)
YEREVAN = (40.1811, 44.5136)


# -- the shipped layers --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["countries.geo.json", "divisions.geo.json", "disputed.geo.json"])
def test_every_shipped_layer_names_its_source_and_licence(name: str) -> None:
    source = shipped_layer(name)["source"]
    assert "Natural Earth" in source["dataset"] and "v4.1.0" in source["dataset"]
    assert source["licence"].startswith("public domain")
    assert "qgis-common" in source["via"] and source["processing"]


def test_country_outlines_are_finer_than_the_old_110m_ones_and_put_stepanakert_in_azerbaijan() -> None:
    by_iso = {f["properties"]["iso_a3"]: f for f in country_outlines()["features"]}
    assert {"ARM", "AZE", "GEO", "IRN", "TUR", "RUS"} <= set(by_iso)
    azerbaijan, armenia = shape(by_iso["AZE"]["geometry"]), shape(by_iso["ARM"]["geometry"])
    assert azerbaijan.contains(point(*STEPANAKERT)) and armenia.contains(point(*YEREVAN))
    assert shapely.get_num_coordinates(armenia) > 150  # Natural Earth 1:110m draws Armenia with 40 points
    assert isinstance(azerbaijan, MultiPolygon)  # Nakhchivan apart from the rest


def test_divisions_are_the_marzer_and_rayons_with_a_label_each() -> None:
    features = shipped_layer("divisions.geo.json")["features"]
    by_country: dict[str, int] = {}
    for feature in features:
        by_country[feature["properties"]["country"]] = by_country.get(feature["properties"]["country"], 0) + 1
    assert by_country == {"AM": 11, "AZ": 78}
    labels = {lb.text: lb for lb in district_labels()}
    assert {"Syunik", "Tavush", "Lachin", "Khojaly", "Shusha", "Fuzuli", "Jabrayil", "Zangilan"} <= set(
        labels
    )
    assert "Yerevan" not in labels and "Baku" not in labels  # cities are named as towns
    khojavend = next(f for f in features if f["properties"]["gn_name"] == "Xocavand Rayonu")
    assert shape(khojavend["geometry"]).contains(point(39.52, 47.03))  # Hadrut lies in Khojavend rayon


def test_the_disputed_lines_are_the_1991_oblast_boundary_and_the_1994_ceasefire_line() -> None:
    lines = {
        f["properties"]["kind"]: shape(f["geometry"]) for f in shipped_layer("disputed.geo.json")["features"]
    }
    assert set(lines) == set(DISPUTED_STYLES) == {"nkao-1991", "ceasefire-1994"}
    stepanakert = point(*STEPANAKERT)
    assert lines["nkao-1991"].distance(stepanakert) < 0.35  # the oblast's edge runs round its capital
    minx, miny, maxx, maxy = lines["ceasefire-1994"].bounds
    assert 39.0 < miny < maxy < 40.6 and 45.2 < minx < maxx < 47.7  # Tovuz-Gazakh to the Araks


# -- the maintainers' cut of the source ----------------------------------------------------


def _tiny_world_map(path: Path, *, with_ceasefire: bool = True) -> Path:
    import geopandas as gpd

    square = Polygon([(44.0, 39.0), (46.0, 39.0), (46.0, 41.0), (44.0, 41.0)])
    east = Polygon([(46.0, 39.0), (48.0, 39.0), (48.0, 41.0), (46.0, 41.0)])
    far = Polygon([(100.0, 10.0), (101.0, 10.0), (101.0, 11.0), (100.0, 11.0)])
    gpd.GeoDataFrame(
        {"NAME": ["Armenia", "Azerbaijan", "Far away"], "ISO_A3": ["ARM", "AZE", "FAR"]},
        geometry=[square, east, far],
        crs="EPSG:4326",
    ).to_file(path, layer="countries", driver="GPKG")
    rows = [("AM", f"Marz {i}", f"M{i} Marz", "ARM") for i in range(11)]
    rows += [("AZ", f"Rayon {i}", f"R{i} Rayon", "AZE") for i in range(78)]
    rows += [("GE", "Tbilisi", "K'alak'i T'bilisi", "GEO")]
    gpd.GeoDataFrame(
        {
            "iso_a2": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "gn_name": [r[2] for r in rows],
            "adm0_a3": [r[3] for r in rows],
        },
        geometry=[square.buffer(-0.01 * (i % 5)) for i in range(len(rows))],
        crs="EPSG:4326",
    ).to_file(path, layer="states_provinces", driver="GPKG")
    names = ["Former USSR oblast in 1991", "Former USSR oblast in 1991", "Japanese claim"]
    geoms = [
        LineString([(46.5, 39.6), (46.8, 40.0)]),
        LineString([(46.8, 40.0), (46.4, 40.2)]),
        LineString([(145.0, 43.0), (146.0, 44.0)]),
    ]
    if with_ceasefire:
        names.append("Ceasefire Line 1994")
        geoms.append(LineString([(45.3, 41.0), (47.5, 39.2)]))
    gpd.GeoDataFrame(
        {"name": names, "adm0_a3_l": ["AZE", "AZE", "RUS", "AZE"][: len(names)]},
        geometry=geoms,
        crs="EPSG:4326",
    ).to_file(path, layer="disputed_borders", driver="GPKG")
    return path


def test_source_cut_keeps_the_region_the_divisions_and_the_karabakh_lines(tmp_path: Path) -> None:
    layers = cut_layers(_tiny_world_map(tmp_path / "world_map.gpkg"))
    countries = layers["countries.geo.json"]["features"]
    assert [f["properties"]["iso_a3"] for f in countries] == ["ARM", "AZE"]  # the far one is clipped away
    divisions = layers["divisions.geo.json"]["features"]
    assert len(divisions) == 89 and {f["properties"]["country"] for f in divisions} == {"AM", "AZ"}
    lines = {f["properties"]["kind"]: f["geometry"] for f in layers["disputed.geo.json"]["features"]}
    assert set(lines) == {"nkao-1991", "ceasefire-1994"}
    assert lines["nkao-1991"]["type"] == "LineString"  # the two pieces merged into one line
    written = write_layers(layers, tmp_path)
    reread = json.loads((tmp_path / "countries.geo.json").read_text(encoding="utf-8"))
    assert reread["source"]["licence"].startswith("public domain") and len(written) == 3


def test_source_cut_says_what_is_wrong_with_the_file(tmp_path: Path) -> None:
    with pytest.raises(BaseMapError, match=r"no such GeoPackage.*qgis-common"):
        cut_layers(tmp_path / "missing.gpkg")
    with pytest.raises(BaseMapError, match="no 'Ceasefire Line 1994' line"):
        cut_layers(_tiny_world_map(tmp_path / "w.gpkg", with_ceasefire=False))
    (tmp_path / "text.gpkg").write_text("not a geopackage")
    with pytest.raises(BaseMapError, match="not the world map GeoPackage"):
        cut_layers(tmp_path / "text.gpkg")


# -- names and their zooms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "capital", "zoom"),
    [
        (1_100_000, True, 6),
        (0, True, 6),
        (500_000, False, 6),
        (300_000, False, 7),
        (55_200, False, 8),
        (19_999, False, 9),
        (5_000, False, 9),
        (3_700, False, 10),
        (999, False, 11),
        (0, False, 12),
    ],
)
def test_first_zoom_follows_population(population: int, capital: bool, zoom: int) -> None:
    assert first_zoom(population, capital=capital) == zoom


def test_names_never_overlap_at_any_zoom_on_the_real_map() -> None:
    placed = place_labels([*district_labels(), *_some_towns()])
    for zoom in range(6, LAST_ZOOM):
        boxes = [box_at(p.label, zoom) for p in placed if p.zoom <= zoom]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (zoom, a, b)


def test_a_bigger_town_keeps_its_zoom_and_a_close_smaller_one_waits() -> None:
    big = Label("Khankendi", 39.8177, 46.7528, TOWN, rank=1.0, zoom=8)
    near = Label("Shusha", 39.7583, 46.7484, TOWN, rank=2.0, zoom=8)
    far = Label("Ganja", 40.6828, 46.3606, TOWN, rank=3.0, zoom=8)
    placed = {p.label.text: p.zoom for p in place_labels([near, far, big])}
    assert placed["Khankendi"] == 8 and placed["Ganja"] == 8 and 8 < placed["Shusha"] <= LAST_ZOOM


def test_label_rejects_an_unknown_kind_and_empty_text() -> None:
    with pytest.raises(ValueError, match="kind"):
        Label("X", 40.0, 46.0, "river")
    with pytest.raises(ValueError, match="needs text"):
        Label(" ", 40.0, 46.0, DISTRICT)


def _some_towns() -> list[Label]:
    places = [
        Place("geonames:1", "Khankendi", 39.8177, 46.7528, "AZ", kind="PPLA", population=55_200),
        Place("geonames:2", "Shusha", 39.7583, 46.7484, "AZ", kind="PPLA", population=4_000),
        Place("geonames:3", "Yerevan", 40.1811, 44.5136, "AM", kind="PPLC", population=1_093_485),
        Place("geonames:4", "Karmir Shuka", 39.725, 46.95, "AZ", population=0),
        Place("geonames:5", "Tabriz", 38.08, 46.2919, "IR", population=1_558_693),
        Place("geonames:6", "Small Iranian village", 38.5, 46.0, "IR", population=800),
        Place("geonames:7", "Far town", 55.0, 37.0, "RU", population=100_000),
        Place("country:AZ", "Azerbaijan", 40.5, 47.5, "AZ", kind="country"),
    ]
    return town_labels(places)


def test_town_labels_take_every_armenian_and_azerbaijani_settlement_and_only_big_neighbours() -> None:
    towns = {lb.text: lb for lb in _some_towns()}
    assert set(towns) == {"Khankendi", "Shusha", "Yerevan", "Karmir Shuka", "Tabriz"}
    assert towns["Yerevan"].rank < towns["Tabriz"].rank < towns["Khankendi"].rank < towns["Shusha"].rank
    assert towns["Karmir Shuka"].zoom == 12


# -- the built detail ----------------------------------------------------------------------


def test_detail_holds_land_lines_and_names_with_their_zooms() -> None:
    detail = build_detail(
        places=[
            Place("geonames:1", "Khankendi", 39.8177, 46.7528, "AZ", kind="PPLA", population=55_200),
            Place("geonames:2", "Hadrut", 39.52, 47.03, "AZ", population=3_000),
        ]
    )
    assert {c[2] for c in detail["countries"]} >= {"Armenia", "Azerbaijan", "Iran"}
    assert sum(1 for c in detail["land"] if c["focus"]) == 2
    assert detail["districts"]["type"] == "MultiLineString"
    assert [d["kind"] for d in detail["disputed"]] == ["nkao-1991", "ceasefire-1994"]
    towns = {row[2]: row for row in detail["labels"] if row[4] == "town"}
    assert towns["Khankendi"][:4] == [39.8177, 46.7528, "Khankendi", 8] and towns["Hadrut"][3] == 10
    assert detail["source"]["licence"].startswith("public domain")
    assert len(json.dumps(detail["districts"])) < 40_000  # each shared boundary drawn once, rounded


def test_detail_file_is_built_once_and_rebuilt_when_an_input_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    dest = tmp_path / "static"
    first = ensure_detail_file(dest, directory=data)
    stamp = first.stat().st_mtime_ns
    assert ensure_detail_file(dest, directory=data) == first and first.stat().st_mtime_ns == stamp
    assert json.loads(first.read_text(encoding="utf-8"))["labels"]
    table = data / "divisions.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("Lachin,rayon", "Laçın,rayon"), encoding="utf-8"
    )
    assert detail_digest(data) not in first.name
    second = ensure_detail_file(dest, directory=data)
    assert second != first and not first.exists()  # the stale build is removed
    assert "Laçın" in second.read_text(encoding="utf-8")


def test_broken_shipped_data_fails_with_the_file_and_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(BaseMapError, match=r"countries\.geo\.json: missing .* reinstall"):
        shipped_layer("countries.geo.json", tmp_path)
    (tmp_path / "countries.geo.json").write_text("{")
    with pytest.raises(BaseMapError, match="cannot be read as GeoJSON"):
        shipped_layer("countries.geo.json", tmp_path)
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "divisions.csv"
    table.write_text("\n".join(line for line in table.read_text().splitlines() if "Lacin" not in line))
    with pytest.raises(BaseMapError, match="no row for 'Lacin Rayonu'"):
        district_labels(data)


# -- tile layers and their settings --------------------------------------------------------


def test_tiles_from_env_read_one_layer_a_line() -> None:
    value = (
        "Team server|https://tiles.example.org/{z}/{x}/{y}.png|© Team\n\nTopo|/tiles/{z}/{x}/{-y}.png|© us"
    )
    sources = tiles_from_env(value)
    assert [(s.key, s.name, s.attribution) for s in sources] == [
        ("team-server", "Team server", "© Team"),
        ("topo-2", "Topo", "© us"),  # "topo" is built in
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Team|https://tiles.example.org/{z}/{x}/{y}.png", "line 1: expected name|url|attribution"),
        ("Team|https://tiles.example.org/tiles.png|© T", r"must hold \{z\}, \{x\} and \{y\}"),
        ("Team|ftp://tiles.example.org/{z}/{x}/{y}.png|© T", "must start with http://"),
        ("Team|https://t.example.org/{z}/{x}/{y}.png|  ", "an attribution is required"),
        (
            "ok|https://t.example.org/{z}/{x}/{y}.png|© T\n|https://t.example.org/{z}/{x}/{y}.png|© T",
            "line 2",
        ),
    ],
)
def test_tiles_from_env_say_which_line_is_wrong_and_how_to_write_it(value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as caught:
        tiles_from_env(value)
    assert str(caught.value).startswith("$MAPAPP_TILES: ")


def test_tiles_from_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "mapapp.toml"
    path.write_text(
        '[tiles.mbtiles]\nname = "Karabakh MBTiles"\nurl = "http://127.0.0.1:8000/k/{z}/{x}/{y}.png"\n'
        'attribution = "© OpenStreetMap contributors"\nmax_zoom = 14\n',
        encoding="utf-8",
    )
    (source,) = tiles_from_settings(path)
    assert (source.key, source.name, source.max_zoom) == ("mbtiles", "Karabakh MBTiles", 14)
    assert settings_path({}, cwd=tmp_path) == path  # ./mapapp.toml is found without the variable
    tiles = configured_tiles({"MAPAPP_TILES": "Env|https://e.example.org/{z}/{x}/{y}.png|© E"}, cwd=tmp_path)
    assert [t.key for t in tiles] == ["osm", "topo", "mbtiles", "env"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tiles.a]\nurl = "https://t.example.org/{z}/{x}/{y}.png"\n', "attribution missing"),
        (
            '[tiles.a]\nurl = "https://t.example.org/{z}/{x}/{y}.png"\nattribution = "x"\ncolour = 1\n',
            "unknown key.*colour.*valid: name, url",
        ),
        (
            '[tiles.osm]\nurl = "https://t.example.org/{z}/{x}/{y}.png"\nattribution = "x"\n',
            "taken by a built-in",
        ),
        ("[tiles\n", "not valid TOML"),
        ('tiles = "osm"\n', r"\[tiles\] must hold one table per layer"),
    ],
)
def test_a_bad_settings_file_is_named_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message) as caught:
        tiles_from_settings(path)
    assert str(caught.value).startswith(str(path))


def test_a_settings_variable_naming_no_file_fails(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="names no file"):
        settings_path({"MAPAPP_SETTINGS": str(tmp_path / "nope.toml")})
    assert settings_path({}, cwd=tmp_path) is None


# -- the base map's JavaScript --------------------------------------------------------------

SERVED = MapStyle(detail_url="/app/static/basemap/detail-0123456789abcdef.json")


def _script(style: MapStyle) -> str:
    m = base_map(style)
    m.get_root().render()
    return _get_map_string(m)


def test_base_map_is_the_same_on_every_build_and_small_when_the_detail_is_served() -> None:
    first, second = _script(SERVED), _script(SERVED)
    assert generate_js_hash(first, "map") == generate_js_hash(second, "map")
    assert "detail-0123456789abcdef.json" in first and "Khankendi" not in first
    assert len(first.encode()) < 20_000  # the detail (about 100 KiB) is fetched, not sent on every rerun
    inline = _script(MapStyle())
    assert "Khankendi" in inline and "Lachin" in inline


def test_offline_layers_sit_below_the_markers_and_take_no_clicks() -> None:
    script = _script(SERVED)
    panes = json.loads(re.search(r"var panes = (\{[^}]*\})", script).group(1))
    assert panes and all(z < 600 for z in panes.values())  # Leaflet's marker pane is 600
    assert 'pane.style.pointerEvents = "none"' in script
    calls = re.findall(r"L\.(?:geoJSON|marker)\([^;]*", script.split("var panes")[1])
    assert calls and all("interactive: false" in c for c in calls)


def test_configured_names_and_attributions_reach_the_page_escaped() -> None:
    hostile = TileSource("team", XSS, "https://t.example.org/{z}/{x}/{y}.png", XSS)
    script = _script(MapStyle(tiles=(*ONLINE_TILES, hostile), detail_url=SERVED.detail_url))
    assert "<img" not in script and "&lt;img" in script.replace("\\u003c", "<").replace("\\u0026", "&")
    assert "tile.openstreetmap.org" in script and "opentopomap.org" in script


def test_legend_explains_the_disputed_area_line() -> None:
    text = Legend().html
    assert "Nagorno-Karabakh, 1991 boundary (disputed area)" in text and "1994 ceasefire line" in text
    assert "Autonomous Oblast" in text and "27 September 2020" in text  # the hover titles say what each is
    assert "Lines:" not in Legend(lines=False).html


def test_without_a_gazetteer_the_detail_keeps_its_lines_and_says_why_towns_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAZETTEER_DATA_DIR", str(tmp_path / "no-such-folder"))
    detail = build_detail()
    assert {row[4] for row in detail["labels"]} == {"district"}
    assert detail["disputed"] and detail["districts"]["coordinates"]
    assert len(detail["notes"]) == 1 and detail["notes"][0].startswith("no town names: ")
    assert "GAZETTEER_DATA_DIR" in detail["notes"][0]


def test_a_layer_configured_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mapapp.toml").write_text(
        '[tiles.team]\nname = "Team"\nurl = "https://t.example.org/{z}/{x}/{y}.png"\nattribution = "© T"\n',
        encoding="utf-8",
    )
    env = {"MAPAPP_TILES": "team|https://u.example.org/{z}/{x}/{y}.png|© U"}
    with pytest.raises(SettingsError, match=r"^\$MAPAPP_TILES: a layer named 'team' is configured twice"):
        configured_tiles(env, cwd=tmp_path)
    with pytest.raises(SettingsError, match="configured twice"):
        configured_tiles({"MAPAPP_TILES": "OpenStreetMap (online)|https://u.example.org/{z}/{x}/{y}.png|© U"})
