"""Constants of the browser tests (tests/e2e): how chromium is started and when the app is idle."""

#: chromium with nothing of its own on the network (no updates, sync or background requests)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
#: the app has finished running the page's script
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
