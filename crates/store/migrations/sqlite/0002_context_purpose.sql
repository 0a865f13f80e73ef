-- The purpose of a role context (growth or hiring) is kept with it.
ALTER TABLE role_contexts ADD COLUMN purpose TEXT NOT NULL DEFAULT 'growth';
