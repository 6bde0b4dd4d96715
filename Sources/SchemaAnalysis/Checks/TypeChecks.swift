/// Column types that a better type serves.
enum TypeChecks {
    static let all: [SchemaCheck] = [
        timestampWithoutTimeZone, moneyType, charNType, varcharNType, jsonInsteadOfJsonb, floatForMoney,
        serialInsteadOfIdentity, integerPrimaryKey, uuidStoredAsText,
    ]

    static let timestampWithoutTimeZone = SchemaCheck(
        id: "timestamp_without_time_zone",
        summary: "timestamp without time zone stores wall-clock time with no zone: ambiguous across zones and DST."
    ) { catalog in
        catalog.columns.filter { $0.typeName == "timestamp" }.map { column in
            retype(
                "timestamp_without_time_zone", catalog, column, to: "timestamptz",
                message: { "\($0) is timestamp without time zone; store instants as timestamptz." },
                using: { column, _ in "\(column) AT TIME ZONE 'UTC'" })
        }
    }

    static let moneyType = SchemaCheck(
        id: "money_type",
        summary:
            "money has a fixed scale set by lc_monetary and formats by locale: a restore under another locale misreads it."
    ) { catalog in
        catalog.columns.filter { $0.typeName == "money" }.map { column in
            retype("money_type", catalog, column, to: "numeric(19, 2)") {
                "\($0) is money: its scale comes from the lc_monetary setting, its text form is locale-formatted and it holds no currency; store amounts as numeric(p, s) (numeric(19, 2) covers money's range; pick the scale your currencies need)."
            }
        }
    }

    static let charNType = SchemaCheck(
        id: "char_n_type",
        summary: "character(n) pads with blanks and ignores trailing blanks in comparisons; text is what is meant."
    ) { catalog in
        catalog.columns.filter { $0.typeName == "bpchar" && !namedLikeUUID($0) }.map { column in
            retype(
                "char_n_type", catalog, column, to: "text", evidence: ["length": Double(length(column) ?? 1)],
                message: {
                    "\($0) is \(column.type): values are blank-padded to \(length(column) ?? 1) characters, trailing blanks are dropped on cast and ignored in comparisons, and it is no faster than text; use text (with a CHECK on length if the limit matters). Converting strips the padding."
                }, using: nil)
        }
    }

    static let varcharNType = SchemaCheck(
        id: "varchar_n_type",
        summary:
            "character varying(n) puts a business rule in the type: changing it is a DDL type change; text with a CHECK is easier to change."
    ) { catalog in
        catalog.columns.filter { $0.typeName == "varchar" && !namedLikeUUID($0) }.compactMap { column in
            guard let limit = length(column), let owner = catalog.table(column.tableOid) else { return nil }
            let (path, table, name) = names(catalog, column)
            let constraint = quoteIdentifier(
                String("\(owner.name)_\(column.name)_length".prefix(63)))
            return Finding(
                check: "varchar_n_type", severity: .info, object: path,
                message:
                    "\(path) is \(column.type): the length limit is part of the type, so changing it means altering the column type (views and functions that use it block the change); text with CHECK (length(\(name)) <= \(limit)) keeps the rule and is changed by swapping the constraint.",
                evidence: ["rows": owner.estimatedRows, "length": Double(limit)],
                fixSQL:
                    "ALTER TABLE \(table) ALTER COLUMN \(name) TYPE text, ADD CONSTRAINT \(constraint) CHECK (length(\(name)) <= \(limit)) NOT VALID;\nALTER TABLE \(table) VALIDATE CONSTRAINT \(constraint);",
                undoSQL:
                    "ALTER TABLE \(table) DROP CONSTRAINT \(constraint), ALTER COLUMN \(name) TYPE \(column.type);")
        }
    }

    static let jsonInsteadOfJsonb = SchemaCheck(
        id: "json_instead_of_jsonb",
        summary: "json is stored as text and reparsed on every access, has no equality and no GIN indexing; use jsonb."
    ) { catalog in
        catalog.columns.filter { $0.typeName == "json" }.map { column in
            retype("json_instead_of_jsonb", catalog, column, to: "jsonb") {
                "\($0) is json: it is kept as text and reparsed on every operator call, has no equality operator (no DISTINCT, GROUP BY, UNIQUE) and cannot take a GIN index; jsonb can. jsonb does not keep key order, whitespace or duplicate keys."
            }
        }
    }

    static let moneyWords = ["price", "amount", "cost", "total", "balance", "fee"]

    static let floatForMoney = SchemaCheck(
        id: "float_for_money",
        summary: "A real or double precision column that holds money: binary floating point cannot store 0.10 exactly."
    ) { catalog in
        catalog.columns.filter { column in
            let lowered = column.name.lowercased()
            return ["float4", "float8"].contains(column.typeName) && moneyWords.contains { lowered.contains($0) }
        }.map { column in
            retype("float_for_money", catalog, column, to: "numeric(19, 4)") {
                "\($0) is \(column.type) but its name says it holds money: binary floating point cannot represent most decimal fractions (0.1 + 0.2 <> 0.3), so sums and rounding drift; use numeric with a fixed scale (numeric(19, 4) here; pick the scale your amounts need)."
            }
        }
    }

    static let serialInsteadOfIdentity = SchemaCheck(
        id: "serial_instead_of_identity",
        summary:
            "A serial column (default nextval of a sequence it owns) rather than an identity column: grants, copies and ownership of the sequence are separate."
    ) { catalog in
        catalog.columns.compactMap { column in
            guard !column.isIdentity, let expression = column.defaultExpression, expression.hasPrefix("nextval("),
                let sequence = catalog.sequences.first(where: {
                    $0.ownerTableOid == column.tableOid && $0.ownerColumn == column.number
                        && expression.contains($0.name)
                })
            else { return nil }
            let (path, table, name) = names(catalog, column)
            let restart = Int((sequence.lastValue ?? 0) + 1)
            let notNull = column.notNull ? "" : "\nALTER TABLE \(table) ALTER COLUMN \(name) SET NOT NULL;"
            let nullable = column.notNull ? "" : "\nALTER TABLE \(table) ALTER COLUMN \(name) DROP NOT NULL;"
            let sequenceLiteral = literal(sequence.qualifiedName)
            return Finding(
                check: "serial_instead_of_identity", severity: .warning, object: path,
                message:
                    "\(path) is a serial column (default \(expression), sequence \(sequence.qualifiedName) owned by the column), not an identity column: the sequence needs its own grants, CREATE TABLE ... LIKE copies the default but shares the sequence, and nothing stops explicit values from running ahead of it. Convert it to GENERATED BY DEFAULT AS IDENTITY, starting after the sequence's last value (\(restart)); run it in one transaction with writes stopped.",
                evidence: [
                    "rows": rows(catalog, column), "last_value": sequence.lastValue ?? 0, "restart": Double(restart),
                ],
                fixSQL: """
                    BEGIN;
                    LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE;
                    ALTER TABLE \(table) ALTER COLUMN \(name) DROP DEFAULT;
                    DROP SEQUENCE \(sequence.qualifiedName);\(notNull)
                    ALTER TABLE \(table) ALTER COLUMN \(name) ADD GENERATED BY DEFAULT AS IDENTITY (START WITH \(restart));
                    SELECT setval(pg_get_serial_sequence(\(literal(table)), \(literal(column.name))), greatest(max(\(name)) + 1, \(restart)), false) FROM \(table);
                    COMMIT;
                    """,
                undoSQL: """
                    BEGIN;
                    LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE;
                    ALTER TABLE \(table) ALTER COLUMN \(name) DROP IDENTITY;\(nullable)
                    CREATE SEQUENCE \(sequence.qualifiedName) AS \(sequence.dataType) OWNED BY \(table).\(name);
                    SELECT setval(\(sequenceLiteral), greatest(max(\(name)) + 1, \(restart)), false) FROM \(table);
                    ALTER TABLE \(table) ALTER COLUMN \(name) SET DEFAULT nextval(\(sequenceLiteral)::regclass);
                    COMMIT;
                    """)
        }
    }

    static let integerPrimaryKey = SchemaCheck(
        id: "integer_primary_key",
        summary:
            "A single-column integer or smallint primary key: it runs out at 2^31 - 1 (or 32767), and widening it later rewrites the table and every referencing one."
    ) { catalog in
        catalog.constraints.filter { $0.kind == "p" && $0.columns.count == 1 }.compactMap { key in
            guard let column = catalog.column(key.tableOid, key.columns[0]),
                ["int4", "int2"].contains(column.typeName),
                let owner = catalog.table(key.tableOid)
            else { return nil }
            let (path, table, name) = names(catalog, column)
            let limit: Double = column.typeName == "int2" ? 32_767 : 2_147_483_647
            let sequence = catalog.sequences.first {
                $0.ownerTableOid == key.tableOid && $0.ownerColumn == column.number
            }
            // Referencing columns must widen with the key, or they keep the old limit.
            let references = catalog.constraints.filter {
                $0.kind == "f" && $0.referencedTableOid == key.tableOid && $0.referencedColumns == key.columns
                    && $0.columns.count == 1
            }.compactMap { reference -> (String, String, String)? in
                guard let child = catalog.table(reference.tableOid),
                    let childColumn = catalog.column(reference.tableOid, reference.columns[0])
                else { return nil }
                return (child.qualifiedName, quoteIdentifier(childColumn.name), childColumn.type)
            }
            var fix = ["ALTER TABLE \(table) ALTER COLUMN \(name) TYPE bigint;"]
            var undo: [String] = []
            for (child, childColumn, childType) in references {
                fix.append("ALTER TABLE \(child) ALTER COLUMN \(childColumn) TYPE bigint;")
                undo.append("ALTER TABLE \(child) ALTER COLUMN \(childColumn) TYPE \(childType);")
            }
            undo.append("ALTER TABLE \(table) ALTER COLUMN \(name) TYPE \(column.type);")
            if let sequence, !column.isIdentity {
                fix.append("ALTER SEQUENCE \(sequence.qualifiedName) AS bigint;")
                undo.insert("ALTER SEQUENCE \(sequence.qualifiedName) AS \(sequence.dataType);", at: 0)
            }
            let used = max(sequence?.lastValue ?? 0, 0)
            return Finding(
                check: "integer_primary_key", severity: owner.estimatedRows > 1_000_000 ? .warning : .info,
                object: path,
                message:
                    "The primary key \(path) is \(column.type), which stops at \(Int(limit)); widening it later rewrites \(owner.qualifiedName)\(references.isEmpty ? "" : " and the \(references.count) referencing table(s)") under an exclusive lock, which is cheap only while the table is small. Prefer bigint for keys.",
                evidence: [
                    "rows": owner.estimatedRows, "max_value": limit, "last_value": used,
                    "percent_used": (used / limit * 100 * 100).rounded() / 100,
                    "referencing_foreign_keys": Double(references.count),
                ],
                fixSQL: fix.joined(separator: "\n"),
                undoSQL: undo.joined(separator: "\n"))
        }
    }

    static let uuidStoredAsText = SchemaCheck(
        id: "uuid_stored_as_text",
        summary: "A text column that holds UUIDs: 36+ bytes instead of 16, no format check, case-sensitive comparisons."
    ) { catalog in
        catalog.columns.filter { column in
            ["text", "varchar", "bpchar"].contains(column.typeName) && namedLikeUUID(column)
        }.map { column in
            retype("uuid_stored_as_text", catalog, column, to: "uuid") {
                "\($0) is \(column.type) but its name says it holds UUIDs: as text each takes 37 bytes instead of 16 (so do its indexes), malformed values are accepted and upper- and lower-case forms compare unequal; use the uuid type (the conversion fails on any value that is not a UUID)."
            }
        }
    }

    /// A warning whose fix changes the column to `newType` and whose undo changes it back.
    ///
    /// - Parameters:
    ///   - message: the message, given the column's path.
    ///   - using: the USING expression, given the quoted column and the type cast to; nil for none.
    static func retype(
        _ check: String, _ catalog: CatalogSnapshot, _ column: CatalogSnapshot.Column, to newType: String,
        evidence: [String: Double] = [:], message: (String) -> String,
        using: ((String, String) -> String)? = { "\($0)::\($1)" }
    ) -> Finding {
        let (path, table, name) = names(catalog, column)
        let original =
            column.typeName == "money" || column.typeName == "json" || column.typeName == "timestamp"
            ? column.typeName : column.type
        func alter(_ type: String) -> String {
            "ALTER TABLE \(table) ALTER COLUMN \(name) TYPE \(type)\(using.map { " USING \($0(name, type))" } ?? "");"
        }
        return Finding(
            check: check, severity: .warning, object: path, message: message(path),
            evidence: evidence.merging(["rows": rows(catalog, column)]) { mine, _ in mine },
            fixSQL: alter(newType), undoSQL: alter(original))
    }

    /// The column's path, its table's qualified name and its quoted name.
    static func names(_ catalog: CatalogSnapshot, _ column: CatalogSnapshot.Column) -> (String, String, String) {
        (
            catalog.columnPath(column.tableOid, column.number), catalog.table(column.tableOid)?.qualifiedName ?? "?",
            quoteIdentifier(column.name)
        )
    }

    static func rows(_ catalog: CatalogSnapshot, _ column: CatalogSnapshot.Column) -> Double {
        catalog.table(column.tableOid)?.estimatedRows ?? 0
    }

    /// The `n` of `character(n)` or `character varying(n)`, if the type has one.
    static func length(_ column: CatalogSnapshot.Column) -> Int? {
        guard let open = column.type.firstIndex(of: "("), let close = column.type.firstIndex(of: ")"), open < close
        else { return nil }
        return Int(column.type[column.type.index(after: open)..<close])
    }

    /// Named `uuid`, `guid`, `*_uuid` or `*_guid`: uuid_stored_as_text covers these, not the char/varchar checks.
    static func namedLikeUUID(_ column: CatalogSnapshot.Column) -> Bool {
        let lowered = column.name.lowercased()
        return lowered == "uuid" || lowered == "guid" || lowered.hasSuffix("_uuid") || lowered.hasSuffix("_guid")
    }

    /// A SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
