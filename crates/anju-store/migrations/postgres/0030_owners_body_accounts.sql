-- Owners' body members' accounts (issue 19 item 1): the role 'owners_body', bounded to one
-- compound.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'housing_authority',
    'finance', 'street', 'community', 'company', 'evaluator', 'auditor', 'department',
    'owners_body'));
ALTER TABLE users ADD COLUMN compound_id BIGINT REFERENCES compounds (id);
