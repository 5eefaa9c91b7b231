"""Forms of the import pages: the upload, the re-read with another encoding or delimiter, and the
column mapping with its options.

The mapping form is built from the kind's target fields (`imports.parsing.fields.FIELDS`): one
select per field, offering the file's headers. It checks what a form can check (a required
field left unmapped, one column given to two fields); the service checks the rest.
"""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin

from .models import ImportFormat, ImportKind, ImportMode
from .parsing.fields import ATTRIBUTES, FIELDS, FIELDS_BY_NAME

# Encodings a user may force when the detected one shows garbled text.
ENCODING_CHOICES = [
    ("", _("Detect automatically")),
    ("utf-8", _("UTF-8")),
    ("utf-8-sig", _("UTF-8 with BOM")),
    ("gb18030", _("GBK / GB18030 (Chinese)")),
    ("big5", _("Big5 (traditional Chinese)")),
    ("utf-16", _("UTF-16")),
    ("cp1252", _("Windows-1252 (Western European)")),
    ("latin-1", _("Latin-1 (ISO-8859-1)")),
]
DELIMITER_CHOICES = [
    ("", _("Detect automatically")),
    (",", _("Comma ( , )")),
    (";", _("Semicolon ( ; )")),
    ("\t", _("Tab")),
    ("|", _("Vertical bar ( | )")),
]
DATE_ORDER_CHOICES = [
    ("", _("Work it out from the file (refuse dates that stay ambiguous)")),
    ("DMY", _("Day first: 05/03/2026 is 5 March")),
    ("MDY", _("Month first: 05/03/2026 is May 3")),
]
# The option applies to the kinds whose rows name products by SKU.
UNKNOWN_SKU_KINDS = {ImportKind.ORDERS, ImportKind.SALES, ImportKind.STOCK, ImportKind.REVIEWS}
# Kinds with dates a file may write day-first or month-first.
DATE_KINDS = {ImportKind.ORDERS, ImportKind.SALES, ImportKind.STOCK, ImportKind.REVIEWS}
MAPPING_PREFIX = "map_"
NOT_MAPPED = ""


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the file contain?"),
        choices=[("", _("— choose —")), *ImportKind.choices],
    )
    file = forms.FileField(
        label=_("File (CSV or Excel XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.ms-excel"}
        ),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Up to %(size)s. Encoding (UTF-8, GBK…) and delimiter are detected; you check the "
            "columns on the next page before anything is loaded."
        ) % {"size": filesizeformat(max_bytes)}


class SniffForm(BootstrapFormMixin, forms.Form):
    """Read the file again with another encoding or delimiter (CSV), or another sheet (XLSX)."""

    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=DELIMITER_CHOICES, required=False)
    sheet = forms.CharField(
        label=_("Sheet"),
        required=False,
        max_length=100,
        help_text=_("The name of the worksheet to read, as its tab shows it."),
    )

    def __init__(self, *args, batch, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("encoding", _known(batch.encoding, ENCODING_CHOICES))
        initial.setdefault("delimiter", _known(batch.delimiter, DELIMITER_CHOICES))
        initial.setdefault("sheet", batch.sheet)
        super().__init__(*args, **kwargs)
        if batch.file_format == ImportFormat.XLSX:
            del self.fields["encoding"]
            del self.fields["delimiter"]
            return
        del self.fields["sheet"]
        # A detected encoding not in the list stays selectable as what it is.
        if batch.encoding and not _known(batch.encoding, ENCODING_CHOICES):
            self.fields["encoding"].choices = [
                *ENCODING_CHOICES,
                (batch.encoding.lower(), batch.encoding),
            ]
            self.initial["encoding"] = batch.encoding.lower()


def _known(value: str, choices) -> str:
    value = (value or "").lower() if value != "\t" else value
    aliases = {"gbk": "gb18030", "utf8": "utf-8", "utf_8": "utf-8", "utf-8-bom": "utf-8-sig"}
    value = aliases.get(value, value)
    return value if value in {code for code, _label in choices} else ""


class MappingForm(BootstrapFormMixin, forms.Form):
    """One select per target field plus the load options; `mapping()` and `options()` give the
    values in the shape `import_configure` takes."""

    mode = forms.ChoiceField(
        label=_("When some rows are invalid"),
        choices=[
            (ImportMode.ALL_OR_NOTHING, _("All or nothing: load nothing, show me what to fix")),
            (ImportMode.VALID_ROWS, _("Load the valid rows and give me the rejected ones (CSV)")),
        ],
        widget=forms.RadioSelect,
        initial=ImportMode.ALL_OR_NOTHING,
    )
    create_unknown_skus = forms.BooleanField(
        label=_("Create products for SKUs the catalogue does not have"),
        required=False,
        help_text=_("Otherwise their rows are rejected and the SKUs listed in the report."),
    )
    date_order = forms.ChoiceField(
        label=_("Dates such as 05/03/2026"),
        choices=DATE_ORDER_CHOICES,
        required=False,
    )
    save_mapping_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=120,
        help_text=_(
            "Give it a name to have these columns recognised the next time a file with the "
            "same headers is uploaded."
        ),
    )

    def __init__(self, *args, batch, **kwargs):
        self.batch = batch
        self.kind = batch.kind
        self.target_fields = FIELDS[batch.kind]
        headers = [str(header) for header in batch.headers or []]
        self.headers = headers
        header_choices = [(header, header or _("(blank header)")) for header in headers]
        initial = kwargs.setdefault("initial", {})
        suggested = batch.mapping or {}
        options = batch.options or {}
        initial.setdefault("mode", batch.mode or ImportMode.ALL_OR_NOTHING)
        initial.setdefault("create_unknown_skus", bool(options.get("create_unknown_skus")))
        initial.setdefault("date_order", options.get("date_order") or "")
        super().__init__(*args, **kwargs)
        self.mapping_names = []
        for target in self.target_fields:
            name = MAPPING_PREFIX + target.name
            self.mapping_names.append(name)
            label = target.label
            if target.type == ATTRIBUTES:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=header_choices,
                    required=False,
                    help_text=target.help,
                    widget=forms.SelectMultiple(
                        # The file's own column names: data, not UI.
                        attrs={"size": min(6, max(2, len(headers))), "translate": "no"}
                    ),
                )
                value = suggested.get(target.name) or []
                self.initial[name] = [value] if isinstance(value, str) else list(value)
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(NOT_MAPPED, _("— not in this file —")), *header_choices],
                    widget=forms.Select(attrs={"translate": "no"}),  # the file's column names
                    required=target.required,
                    help_text=target.help,
                    error_messages={
                        "required": _("Choose the column that holds “%(field)s”.")
                        % {"field": label}
                    },
                )
                value = suggested.get(target.name)
                self.initial[name] = value if isinstance(value, str) and value in headers else ""
            field.target = target
            field.widget.attrs["class"] = "form-select"
            if target.required:
                field.widget.attrs["required"] = True
                field.widget.attrs["aria-required"] = "true"
            self.fields[name] = field
        if self.kind not in UNKNOWN_SKU_KINDS:
            del self.fields["create_unknown_skus"]
        if self.kind not in DATE_KINDS:
            del self.fields["date_order"]
        # The mapping selects come first, then the options.
        order = [*self.mapping_names, "mode", "create_unknown_skus", "date_order"]
        self.order_fields([*order, "save_mapping_as"])

    def mapping_fields(self):
        return [self[name] for name in self.mapping_names]

    def option_fields(self):
        return [self[name] for name in ("create_unknown_skus", "date_order") if name in self.fields]

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for name in self.mapping_names:
            field = self.fields[name]
            if field.target.type == ATTRIBUTES:
                continue
            header = data.get(name)
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    _("The column “%(column)s” is already used for “%(field)s”.")
                    % {"column": header, "field": self.fields[used[header]].label},
                )
            else:
                used[header] = name
        return data

    def mapping(self) -> dict:
        """{target field: header} for the mapped fields (a list of headers for attributes)."""
        result: dict = {}
        for name in self.mapping_names:
            value = self.cleaned_data.get(name)
            if value:
                result[name.removeprefix(MAPPING_PREFIX)] = value
        # Shopify's "Option1 Name / Option1 Value" pairs are kept as detected.
        pairs = (self.batch.mapping or {}).get("attribute_pairs")
        if pairs and "attributes" in FIELDS_BY_NAME[self.kind]:
            result["attribute_pairs"] = pairs
        return result

    def attribute_pairs(self) -> list:
        return list((self.batch.mapping or {}).get("attribute_pairs") or [])

    def options(self) -> dict:
        options = dict(self.batch.options or {})
        if "create_unknown_skus" in self.fields:
            options["create_unknown_skus"] = bool(self.cleaned_data.get("create_unknown_skus"))
        if "date_order" in self.fields:
            if self.cleaned_data.get("date_order"):
                options["date_order"] = self.cleaned_data["date_order"]
            else:
                options.pop("date_order", None)
        return options
