"""No models. The module exists because Django sends ``post_migrate`` only to apps with a
models module, and the staff roles are synced on this app's ``post_migrate``
(``BackofficeConfig.ready``)."""
