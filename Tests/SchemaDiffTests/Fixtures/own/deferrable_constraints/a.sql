CREATE TABLE teams (id integer PRIMARY KEY, code text NOT NULL, CONSTRAINT teams_code_key UNIQUE (code));
CREATE TABLE members (
    id integer NOT NULL,
    team integer,
    seat integer,
    CONSTRAINT members_pkey PRIMARY KEY (id),
    CONSTRAINT members_team_fkey FOREIGN KEY (team) REFERENCES teams (id),
    CONSTRAINT members_seat_key UNIQUE (team, seat) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE slots (
    id integer NOT NULL,
    pos integer NOT NULL,
    member integer,
    CONSTRAINT slots_pkey PRIMARY KEY (id) DEFERRABLE,
    CONSTRAINT slots_member_fkey FOREIGN KEY (member) REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO teams VALUES (1, 'a'), (2, 'b');
INSERT INTO members VALUES (1, 1, 1), (2, 1, 2), (3, 2, 1);
INSERT INTO slots VALUES (1, 1, 1), (2, 2, NULL);
CREATE TABLE badges (id integer PRIMARY KEY);
CREATE TABLE awards (
    badge integer CONSTRAINT awards_badge_fkey REFERENCES badges (id) ON DELETE CASCADE,
    backup integer
);
ALTER TABLE awards ADD CONSTRAINT awards_backup_fkey FOREIGN KEY (backup) REFERENCES badges (id) DEFERRABLE INITIALLY DEFERRED NOT VALID;
