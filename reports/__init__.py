"""Reports: charts (PNG) and spreadsheets (XLSX) of cooperation news for a period and a scope.

Pure builders: they take rows read from storage and return bytes. Translations live in `bot.i18n`
(above this package), so callers hand in its `t`; labels are marked here with `N_` for the catalog.
"""
