-- Results are private to the person assessed until they share a closed
-- cycle with their manager, which they may undo at any time.
ALTER TABLE cycles ADD COLUMN shared_with_manager BOOLEAN NOT NULL DEFAULT FALSE;
