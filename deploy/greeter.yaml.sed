# config.example.yaml -> /etc/greeter/greeter.yaml for deploy/greeter.service:
#   sed -f deploy/greeter.yaml.sed config.example.yaml > /etc/greeter/greeter.yaml
# Relative paths in the config are relative to its folder (/etc/greeter, read-only for the
# daemon): the journal, the contacts and the outbox go to its state folder /var/lib/greeter.
s|^\(  path: \)data/contacts\.csv .*|\1/var/lib/greeter/contacts.csv   # your CRM export, absolute|
s|^\(  outbox: \)data/outbox|\1/var/lib/greeter/outbox|
s|^\(  url: \)sqlite:///data/journal\.sqlite3|\1sqlite:////var/lib/greeter/journal.sqlite3|
# The HTTP listener on, for `curl -s 127.0.0.1:8025/healthz` and /metrics.
/^http:/,/^[a-z]/s|^\(  enabled: \)false|\1true |
