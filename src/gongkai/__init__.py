"""gongkai (公开): a knowledge graph over government information-disclosure lists.

The public verbs, in the order of the data flow::

    from gongkai import Settings, ingest_file, map_list, validate_lists, build, open_store, run_query

    settings = Settings()
    dl = ingest_file(Path("list.xlsx"), settings)            # read: file → model
    name, graph = map_list(dl, map_context(settings))         # map: model → RDF (one named graph)
    report = validate_lists([dl], settings)                   # validate: SHACL, zh/en messages
    outcome = build(settings)                                 # data/raw → a new version of build/
    store = open_store(settings)                              # the build's store, read-only
    rows = run_query(store, library(settings).get("lists"))

Each name is imported when it is first used, so that ``import gongkai`` (and the command
line) stays fast; the packages below hold the rest (see docs/architecture.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gongkai.settings import VERSION as __version__  # noqa: N811  (the package's version attribute, by convention)

#: public name → the module that defines it
_PUBLIC: dict[str, str] = {
    # ground floor
    "Settings": "gongkai.settings",
    "GongkaiError": "gongkai.errors",
    "InputError": "gongkai.errors",
    "QueryError": "gongkai.errors",
    "StoreError": "gongkai.errors",
    "Text": "gongkai.errors",
    "in_lang": "gongkai.errors",
    "DisclosureList": "gongkai.model",
    "DisclosureItem": "gongkai.model",
    "TimeLimit": "gongkai.model",
    "BuildFolder": "gongkai.build_folder",
    "match_key": "gongkai.text",
    "csv_cell": "gongkai.csv_cells",
    "text_not_formulas": "gongkai.csv_cells",
    # 1–3 read, tabulate, parse
    "ingest_file": "gongkai.ingest",
    "ingest_folder": "gongkai.ingest",
    "parse_time_limit": "gongkai.fields.timelimits",
    # legal sources
    "Registry": "gongkai.legal.registry",
    "LegalSource": "gongkai.legal.registry",
    "registry": "gongkai.legal.registry",
    "in_force_at": "gongkai.legal.registry",
    "search_sources": "gongkai.legal.search",
    "law_texts": "gongkai.legal.articles",
    "pinpoint_article": "gongkai.legal.articles",
    # 4 map
    "map_list": "gongkai.rdf.mapping",
    "map_context": "gongkai.reference_data",
    "static_graphs": "gongkai.reference_data",
    "IRIs": "gongkai.rdf.iris",
    "Vocabularies": "gongkai.rdf.vocabulary",
    # 5 validate
    "validate_lists": "gongkai.validation.run",
    "validate_paths": "gongkai.validation.inputs",
    "validate_rdf_file": "gongkai.validation.inputs",
    "shapes_graph": "gongkai.validation.shapes",
    "shape_infos": "gongkai.validation.compile",
    "SEVERITY_WORDS": "gongkai.validation.results",
    "PROBLEM_COLUMNS": "gongkai.validation.reports",
    "COMPLETENESS_COLUMNS": "gongkai.validation.reports",
    "standard_items": "gongkai.validation.reports",
    # 6 store
    "open_store": "gongkai.store.lifecycle",
    "built_graph": "gongkai.store.lifecycle",
    "embedded_store_path": "gongkai.store.lifecycle",
    "store_is_fresh": "gongkai.store.lifecycle",
    "change_store": "gongkai.store.lifecycle",
    "Endpoint": "gongkai.settings",
    "check_endpoint_url": "gongkai.settings",
    "endpoint_allowed": "gongkai.settings",
    "RemoteStore": "gongkai.store.remote",
    "TimedStore": "gongkai.store.worker",
    # 7 query
    "Library": "gongkai.query.library",
    "library": "gongkai.query.library",
    "run_query": "gongkai.query.run",
    "label_rows": "gongkai.query.results",
    "render": "gongkai.query.results",
    # publish
    "EXPORT_FORMATS": "gongkai.publish.export",
    "export_bytes": "gongkai.publish.export",
    "publish_site": "gongkai.publish.site",
    "JsonLdContext": "gongkai.publish.jsonld",
    "Publisher": "gongkai.publish.publisher",
    "load_publisher": "gongkai.publish.publisher",
    "save_publisher": "gongkai.publish.publisher",
    "publisher_path": "gongkai.publish.publisher",
    "dataset_description": "gongkai.publish.site",
    # deadlines
    "due_date": "gongkai.deadlines.due",
    "official_calendar": "gongkai.deadlines.calendar",
    "weekday_name": "gongkai.deadlines.calendar",
    "Catalogue": "gongkai.deadlines.catalogue",
    "item_due": "gongkai.deadlines.catalogue",
    "limit_due": "gongkai.deadlines.catalogue",
    "upcoming": "gongkai.deadlines.catalogue",
    "export_entries": "gongkai.deadlines.catalogue",
    "today_in_china": "gongkai.deadlines.catalogue",
    "VERSIONS": "gongkai.build_folder",
    # a list added to a running build (the app's import)
    "MAX_UPLOAD_MB": "gongkai.pipeline.add_list",
    "FORM_BUREAU": "gongkai.fields.parse",
    "FORM_DATE": "gongkai.fields.parse",
    "UPLOAD_SUFFIXES": "gongkai.pipeline.add_list",
    "check_upload": "gongkai.pipeline.add_list",
    "read_upload": "gongkai.pipeline.add_list",
    "prepare_upload": "gongkai.pipeline.add_list",
    "item_rows": "gongkai.pipeline.add_list",
    "already_there": "gongkai.pipeline.add_list",
    "commit_upload": "gongkai.pipeline.add_list",
    "commit_to_build": "gongkai.pipeline.add_list",
    "corrections_template": "gongkai.tabulate.corrections",
    # the build sequence and what changes a build
    "build": "gongkai.pipeline.sequence",
    "build_and_publish": "gongkai.pipeline.sequence",
    "validate_into_build": "gongkai.pipeline.sequence",
    "read_stats": "gongkai.pipeline.stats",
    "compute_stats": "gongkai.pipeline.stats",
    "is_current": "gongkai.pipeline.stats",
    "stats_path": "gongkai.pipeline.stats",
    "write_build_stats": "gongkai.pipeline.stats",
    # who may use the app when it is served beyond this machine
    "Access": "gongkai.auth.access",
    "LoginAttempts": "gongkai.auth.passwords",
    "is_loopback": "gongkai.auth.access",
    "load_access": "gongkai.auth.access",
    "served_beyond_loopback": "gongkai.auth.access",
}
#: public names that are another name in their module
_RENAMED = {"match_key": "key", "search_sources": "search", "JsonLdContext": "Context", "compute_stats": "compute",
            "build": "build_and_publish", "UPLOAD_SUFFIXES": "SUFFIXES", "prepare_upload": "prepare",
            "commit_upload": "commit"}

__all__ = [
    "COMPLETENESS_COLUMNS",
    "EXPORT_FORMATS",
    "FORM_BUREAU",
    "FORM_DATE",
    "MAX_UPLOAD_MB",
    "PROBLEM_COLUMNS",
    "SEVERITY_WORDS",
    "UPLOAD_SUFFIXES",
    "VERSIONS",
    "Access",
    "BuildFolder",
    "Catalogue",
    "DisclosureItem",
    "DisclosureList",
    "Endpoint",
    "GongkaiError",
    "IRIs",
    "InputError",
    "JsonLdContext",
    "LegalSource",
    "Library",
    "LoginAttempts",
    "Publisher",
    "QueryError",
    "Registry",
    "RemoteStore",
    "Settings",
    "StoreError",
    "Text",
    "TimeLimit",
    "TimedStore",
    "Vocabularies",
    "__version__",
    "already_there",
    "build",
    "build_and_publish",
    "built_graph",
    "change_store",
    "check_upload",
    "commit_to_build",
    "commit_upload",
    "compute_stats",
    "corrections_template",
    "csv_cell",
    "dataset_description",
    "due_date",
    "embedded_store_path",
    "export_bytes",
    "export_entries",
    "in_force_at",
    "in_lang",
    "ingest_file",
    "ingest_folder",
    "is_current",
    "is_loopback",
    "item_due",
    "item_rows",
    "label_rows",
    "law_texts",
    "library",
    "limit_due",
    "load_access",
    "load_publisher",
    "map_context",
    "map_list",
    "match_key",
    "official_calendar",
    "open_store",
    "parse_time_limit",
    "pinpoint_article",
    "prepare_upload",
    "publish_site",
    "publisher_path",
    "read_stats",
    "read_upload",
    "registry",
    "render",
    "run_query",
    "save_publisher",
    "search_sources",
    "served_beyond_loopback",
    "shape_infos",
    "shapes_graph",
    "standard_items",
    "static_graphs",
    "stats_path",
    "store_is_fresh",
    "text_not_formulas",
    "today_in_china",
    "upcoming",
    "validate_into_build",
    "validate_lists",
    "validate_paths",
    "validate_rdf_file",
    "weekday_name",
    "write_build_stats",
]

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from gongkai.auth.access import Access, is_loopback, load_access, served_beyond_loopback
    from gongkai.auth.passwords import LoginAttempts
    from gongkai.build_folder import VERSIONS, BuildFolder
    from gongkai.csv_cells import csv_cell, text_not_formulas
    from gongkai.deadlines.calendar import official_calendar, weekday_name
    from gongkai.deadlines.catalogue import Catalogue, export_entries, item_due, limit_due, today_in_china, upcoming
    from gongkai.deadlines.due import due_date
    from gongkai.errors import GongkaiError, InputError, QueryError, StoreError, Text, in_lang
    from gongkai.fields.parse import FORM_BUREAU, FORM_DATE
    from gongkai.fields.timelimits import parse_time_limit
    from gongkai.ingest import ingest_file, ingest_folder
    from gongkai.legal.articles import law_texts, pinpoint_article
    from gongkai.legal.registry import LegalSource, Registry, in_force_at, registry
    from gongkai.legal.search import search as search_sources
    from gongkai.model import DisclosureItem, DisclosureList, TimeLimit
    from gongkai.pipeline.add_list import (
        MAX_UPLOAD_MB,
        already_there,
        check_upload,
        commit_to_build,
        item_rows,
        read_upload,
    )
    from gongkai.pipeline.add_list import SUFFIXES as UPLOAD_SUFFIXES
    from gongkai.pipeline.add_list import commit as commit_upload
    from gongkai.pipeline.add_list import prepare as prepare_upload
    from gongkai.pipeline.sequence import build_and_publish, validate_into_build
    from gongkai.pipeline.sequence import build_and_publish as build
    from gongkai.pipeline.stats import compute as compute_stats
    from gongkai.pipeline.stats import is_current, read_stats, stats_path, write_build_stats
    from gongkai.publish.export import EXPORT_FORMATS, export_bytes
    from gongkai.publish.jsonld import Context as JsonLdContext
    from gongkai.publish.publisher import Publisher, load_publisher, publisher_path, save_publisher
    from gongkai.publish.site import dataset_description, publish_site
    from gongkai.query.library import Library, library
    from gongkai.query.results import label_rows, render
    from gongkai.query.run import run_query
    from gongkai.rdf.iris import IRIs
    from gongkai.rdf.mapping import map_list
    from gongkai.rdf.vocabulary import Vocabularies
    from gongkai.reference_data import map_context, static_graphs
    from gongkai.settings import Endpoint, Settings
    from gongkai.store.lifecycle import built_graph, change_store, embedded_store_path, open_store, store_is_fresh
    from gongkai.store.remote import RemoteStore
    from gongkai.store.worker import TimedStore
    from gongkai.tabulate.corrections import corrections_template
    from gongkai.text import key as match_key
    from gongkai.validation.compile import shape_infos
    from gongkai.validation.inputs import validate_paths, validate_rdf_file
    from gongkai.validation.reports import COMPLETENESS_COLUMNS, PROBLEM_COLUMNS, standard_items
    from gongkai.validation.results import SEVERITY_WORDS
    from gongkai.validation.run import validate_lists
    from gongkai.validation.shapes import shapes_graph


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
