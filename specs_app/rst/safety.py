"""The one place that says how docutils may treat untrusted RST.

docutils' defaults read files named in the text (``include``, ``csv-table``
and ``raw`` with ``:file:``, an image with ``:loading: embed``), fetch URLs
(``:url:``) and pass raw HTML through; a ``docutils.conf`` in the working
directory can turn those back on. Every parse of user text uses these settings.
"""

# Bodies larger than this are refused before docutils sees them. The largest
# real spec in the corpus is about 70 KB; this leaves room for three times that.
MAX_SPEC_CHARACTERS = 200_000

SAFE_SETTINGS: dict[str, object] = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "_disable_config": True,
    "image_loading": "link",
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "traceback": True,
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "embed_stylesheet": False,
    "stylesheet_path": "",
    "doctitle_xform": True,
    "sectsubtitle_xform": False,
    "syntax_highlight": "none",
}
