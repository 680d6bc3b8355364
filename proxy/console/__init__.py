"""The compliance console (issue 14): sign-in and roles (`auth`), its words in English and
French (`i18n`), its pages (`views`, `templates/`), served on the admin listener only."""
