# Input functions and checks shared by the rules. Logic lives in the evsynth package.
from pathlib import Path

from evsynth.errors import InputError
from evsynth.ingest import check_searches
from evsynth.inputs import configured_tables

try:
    # Stop before any job runs when the searches are wrong (dates, files missing or listed twice).
    check_searches(config["searches"], Path("."), "config/config.yaml")
except InputError as error:
    raise WorkflowError(str(error)) from None


def search_files(wildcards=None):
    return [search["file"] for search in config["searches"]]


def input_tables(wildcards=None):
    return [path for _, path in configured_tables(config)]
