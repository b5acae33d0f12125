-- How each upgrade ended, kept with it: its APs by status and against its version (JSON, lib/upgradeOutcome.ts),
-- written in the transaction of its last stage change, so the history stays true after a later upgrade takes the APs.
ALTER TABLE upgrade ADD COLUMN ap_counts TEXT;
-- The upgrade that replaced this one while it waited at Activate.
ALTER TABLE upgrade ADD COLUMN superseded_by INTEGER REFERENCES upgrade (id);

-- Upgrades replaced at Activate before this migration were left at Activate for good: they end Superseded,
-- at the start of the upgrade that replaced them.
UPDATE upgrade
SET stage = 'Superseded',
    superseded_by = (SELECT later.id FROM upgrade AS later WHERE later.id > upgrade.id ORDER BY later.id LIMIT 1),
    finished_at = (SELECT later.started_at FROM upgrade AS later WHERE later.id > upgrade.id ORDER BY later.id LIMIT 1),
    message = 'Superseded by upgrade ' || (SELECT later.id FROM upgrade AS later WHERE later.id > upgrade.id ORDER BY later.id LIMIT 1) || ' before it was activated'
WHERE stage = 'Activate' AND id < (SELECT MAX(id) FROM upgrade);
