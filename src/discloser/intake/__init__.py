"""Ways into the canonical budget file for clerks who do not write YAML.

- `starter`: ``discloser init`` — an annotated starter file that validates as written;
- `workbook`: the fill-in Excel workbook, both ways (``discloser workbook``); `validate`/`build` read it
  directly through `sources.read_source`;
- `importer` (with `grid` and `synonyms`): line-item exports of the 预算管理一体化 system → a budget file;
- `rollover`: next year's file from last year's;
- `yamlout`: the one writer of commented YAML they all use; `gaps`: the “待填” markers they leave and
  that `validate` lists.
"""
