-- An enum label added and used by the same migration (a default, a check): ALTER TYPE ... ADD VALUE is
-- usable only after its transaction commits, so that enum is swapped in the transaction instead. A label
-- added and not used keeps the cheap ADD VALUE.
CREATE TYPE message_state AS ENUM ('draft', 'sent');
CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE messages (id bigint PRIMARY KEY, state message_state NOT NULL DEFAULT 'draft', level priority);
