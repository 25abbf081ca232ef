// The SQL dialect: ksqlDB's statements and expressions, plus what PostgreSQL clients send on their own
// (SET/SHOW/BEGIN, catalog SELECTs over pg_catalog.*). One `statement` rule with one #label per
// statement; AstBuilder turns each label into one sealed AST record. Keywords are case-insensitive;
// anything in `nonReserved` may also be used as an identifier.
grammar QuerySql;

// contextSuperClass: see SqlRuleContext (children kept in fields rather than a List per context).
options { caseInsensitive = true; contextSuperClass = Query.Grammar.SqlRuleContext; }

statements
    : SEMICOLON* (statement (SEMICOLON+ statement)* SEMICOLON*)? EOF
    ;

// Entry point for expressions alone (tests, the engine's defaults and computed columns).
singleExpression
    : expression EOF
    ;

statement
    : query                                                                     #queryStatement
    | (LIST | SHOW) STREAMS EXTENDED?                                           #listStreams
    | (LIST | SHOW) TABLES EXTENDED?                                            #listTables
    | (LIST | SHOW) QUERIES EXTENDED?                                           #listQueries
    | (LIST | SHOW) PROPERTIES                                                  #listProperties
    | (LIST | SHOW) FUNCTIONS EXTENDED?                                         #listFunctions
    | (LIST | SHOW) ALL? TOPICS EXTENDED?                                       #listTopics
    | (LIST | SHOW) TYPES                                                       #listTypes
    | (LIST | SHOW) VARIABLES                                                   #listVariables
    | (LIST | SHOW) ARCHIVALS                                                   #listArchivals
    | SHOW TRANSACTION ISOLATION LEVEL                                          #showTransactionIsolation
    | SHOW (qualifiedName | ALL)                                                #showVariable
    | DESCRIBE FUNCTION identifier                                              #describeFunction
    | DESCRIBE EXTENDED? qualifiedName                                          #describeSource
    | DESCRIBE qualifiedName EXTENDED                                           #describeSourceExtended
    | EXPLAIN (statement | identifier)                                          #explain
    | DROP (STREAM | TABLE) (IF EXISTS)? qualifiedName (DELETE TOPIC)?          #dropSource
    | DROP TYPE (IF EXISTS)? identifier                                         #dropType
    | TERMINATE (identifier | ALL)                                              #terminateQuery
    | ARCHIVE STREAM qualifiedName                                              #archiveStream
    | COMPACT STREAM qualifiedName                                              #compactStream
    | PRINT (identifier | STRING) (FROM BEGINNING)?
        ((INTERVAL | SAMPLE) EQ? INTEGER_VALUE)? (LIMIT INTEGER_VALUE)?         #printTopic
    | SET name=STRING EQ value=STRING                                           #setProperty
    | UNSET STRING                                                              #unsetProperty
    | SET (SESSION | LOCAL)? TIME ZONE setValue                                 #setTimeZone
    | SET (SESSION | LOCAL)? qualifiedName (EQ | TO) (DEFAULT | setValue (COMMA setValue)*)  #setVariable
    | (BEGIN (WORK | TRANSACTION)? | START TRANSACTION) transactionMode*        #beginTransaction
    | (COMMIT | END) (WORK | TRANSACTION)?                                      #commitTransaction
    | (ROLLBACK | ABORT) (WORK | TRANSACTION)?                                  #rollbackTransaction
    | DISCARD (ALL | PLANS | SEQUENCES | TEMP | TEMPORARY)                      #discard
    | CREATE (OR REPLACE)? SOURCE? STREAM (IF NOT EXISTS)? qualifiedName
        tableElements? (WITH tableProperties)?                                  #createStream
    | CREATE (OR REPLACE)? SOURCE? TABLE (IF NOT EXISTS)? qualifiedName
        tableElements? (WITH tableProperties)?                                  #createTable
    | CREATE (OR REPLACE)? STREAM (IF NOT EXISTS)? qualifiedName
        (WITH tableProperties)? AS query                                        #createStreamAs
    | CREATE (OR REPLACE)? TABLE (IF NOT EXISTS)? qualifiedName
        (WITH tableProperties)? AS query                                        #createTableAs
    | CREATE TYPE (IF NOT EXISTS)? identifier AS type                           #createType
    | INSERT INTO qualifiedName (WITH tableProperties)? query                   #insertInto
    | INSERT INTO qualifiedName columnList? VALUES valuesRow (COMMA valuesRow)*
        onConflict?                                                             #insertValues
    | DELETE FROM qualifiedName (WHERE where=expression)?                       #deleteRows
    | ALTER (STREAM | TABLE) qualifiedName
        alterColumn (COMMA alterColumn)*                                        #alterSourceAddColumns
    | ALTER (STREAM | TABLE) qualifiedName SET tableProperties                  #alterSourceSetProperties
    ;

transactionMode
    : ISOLATION LEVEL identifier+
    | READ (ONLY | WRITE)
    ;

setValue
    : MINUS? number
    | STRING
    | identifier
    | TRUE
    | FALSE
    | ON
    ;

tableElements
    : LPAREN tableElement (COMMA tableElement)* (COMMA primaryKeyConstraint)? RPAREN
    ;

primaryKeyConstraint
    : PRIMARY KEY columnList
    ;

tableElement
    : identifier type columnConstraint?
    ;

columnConstraint
    : KEY
    | PRIMARY KEY
    | HEADERS
    | HEADER LPAREN STRING RPAREN
    ;

alterColumn
    : ADD COLUMN? identifier type
    ;

tableProperties
    : LPAREN tableProperty (COMMA tableProperty)* RPAREN
    ;

tableProperty
    : (identifier | STRING) EQ (literal | MINUS INTEGER_VALUE)
    ;

columnList
    : LPAREN identifier (COMMA identifier)* RPAREN
    ;

valuesRow
    : LPAREN expression (COMMA expression)* RPAREN
    ;

// PostgreSQL's upsert: ON CONFLICT [(key columns) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ... [WHERE ...].
onConflict
    : ON CONFLICT (columnList | ON CONSTRAINT constraint=identifier)? DO NOTHING
    | ON CONFLICT (columnList | ON CONSTRAINT constraint=identifier)? DO UPDATE SET
        assignment (COMMA assignment)* (WHERE where=expression)?
    ;

assignment
    : identifier EQ expression
    ;

// ---------------------------------------------------------------- queries

query
    : withClause? queryTerm orderBy? emitClause? limitClause? offsetClause?
    ;

// WITH [RECURSIVE] name [(columns)] AS (query), ...: common table expressions, visible to the query after them.
withClause
    : WITH RECURSIVE? namedQuery (COMMA namedQuery)*
    ;

namedQuery
    : identifier columnList? AS LPAREN query RPAREN
    ;

queryTerm
    : queryPrimary                                                              #queryTermDefault
    | left=queryTerm operator=(UNION | EXCEPT | INTERSECT) ALL? right=queryTerm #setOperation
    ;

queryPrimary
    : SELECT (DISTINCT | ALL)? selectItem (COMMA selectItem)*
      (FROM relation (COMMA relation)*)?
      windowClause?
      (WHERE where=expression)?
      (GROUP BY groupBy+=groupingElement (COMMA groupBy+=groupingElement)*)?
      (HAVING having=expression)?
      (PARTITION BY partitionBy+=expression (COMMA partitionBy+=expression)*)?  #querySpecification
    | LPAREN query RPAREN                                                       #parenthesizedQuery
    ;

// `GROUP BY (a, b)`: a grouping set of several expressions, the same as `GROUP BY a, b` (ksqlDB, PostgreSQL).
groupingElement
    : LPAREN expression (COMMA expression)+ RPAREN
    | expression
    ;

orderBy
    : ORDER BY sortItem (COMMA sortItem)*
    ;

sortItem
    : expression ordering=(ASC | DESC)? (NULLS nullOrdering=(FIRST | LAST))?
    ;

emitClause
    : EMIT (CHANGES | FINAL)
    ;

limitClause
    : LIMIT (expression | ALL)
    ;

offsetClause
    : OFFSET expression (ROW | ROWS)?
    ;

// Unlabeled for the same reason as `expression`.
selectItem
    : ASTERISK
    | identifier DOT ASTERISK
    | expression (AS? identifier)?
    ;

relation
    : left=relation joinType JOIN right=relationPrimary withinClause? joinCriteria? #joinRelation
    | left=relation CROSS JOIN right=relationPrimary                           #crossJoinRelation
    | relationPrimary                                                           #relationDefault
    ;

joinType
    : INNER?
    | LEFT OUTER?
    | RIGHT OUTER?
    | FULL OUTER?
    ;

joinCriteria
    : ON expression
    | USING LPAREN identifier (COMMA identifier)* RPAREN
    ;

withinClause
    : WITHIN (duration | LPAREN duration RPAREN | LPAREN duration COMMA duration RPAREN)
      gracePeriod?
    ;

relationPrimary
    : qualifiedName aliasClause?                                                #tableRelation
    | LATERAL? LPAREN query RPAREN aliasClause?                                 #subqueryRelation
    | LATERAL? qualifiedName LPAREN (expression (COMMA expression)*)? RPAREN
        aliasClause?                                                            #functionRelation
    | LPAREN relation (COMMA relation)* RPAREN                                  #parenthesizedRelation
    ;

aliasClause
    : AS? identifier columnList?
    ;

windowClause
    : WINDOW windowExpression
    ;

windowExpression
    : TUMBLING LPAREN SIZE duration retentionOrGrace* RPAREN                    #tumblingWindow
    | HOPPING LPAREN SIZE duration COMMA ADVANCE BY duration retentionOrGrace* RPAREN #hoppingWindow
    | SESSION LPAREN duration retentionOrGrace* RPAREN                          #sessionWindow
    ;

retentionOrGrace
    : COMMA RETENTION duration
    | COMMA gracePeriod
    ;

gracePeriod
    : GRACE PERIOD duration
    ;

duration
    : INTEGER_VALUE timeUnit
    ;

timeUnit
    : MILLISECOND | MILLISECONDS | SECOND | SECONDS | MINUTE | MINUTES
    | HOUR | HOURS | DAY | DAYS
    ;

// ---------------------------------------------------------------- expressions

// Boolean level directly in `expression` (no wrapper rule): one parse-tree level less per expression.
// Alternatives are unlabeled on purpose: a labeled alternative allocates a second context per node, and this
// rule runs once per operand. AstBuilder.VisitExpression tells them apart by their tokens.
expression
    : valueExpression predicate?
    | NOT expression
    | left=expression operator=AND right=expression
    | left=expression operator=OR right=expression
    ;

predicate
    : comparisonOperator right=valueExpression                                  #comparison
    | comparisonOperator quantifier=(ANY | SOME | ALL)
        LPAREN (query | expression) RPAREN                                      #quantifiedComparison
    | NOT? BETWEEN lower=valueExpression AND upper=valueExpression              #between
    | NOT? IN LPAREN query RPAREN                                               #inSubquery
    | NOT? IN LPAREN expression (COMMA expression)* RPAREN                      #inList
    | NOT? (LIKE | ILIKE) pattern=valueExpression (ESCAPE escape=STRING)?        #like
    | IS NOT? NULL                                                              #nullPredicate
    | IS NOT? DISTINCT FROM right=valueExpression                               #distinctFrom
    ;

// Atoms, then postfix forms (binding tightest: PostgreSQL's -1::text is -(1::text)), then prefix and binary
// operators. Atoms live in this rule rather than in a separate primaryExpression rule: that saves a rule
// level (two parse-tree nodes) per operand, which is most of the parser's allocation.
valueExpression
    : literal                                                                   #literalExpression
    | PARAMETER                                                                 #parameter
    | CASE operand=expression whenClause+ (ELSE elseExpression=expression)? END #simpleCase
    | CASE whenClause+ (ELSE elseExpression=expression)? END                    #searchedCase
    | CAST LPAREN expression AS type RPAREN                                     #cast
    | ARRAY LBRACKET (expression (COMMA expression)*)? RBRACKET                 #arrayConstructor
    | ARRAY LPAREN query RPAREN                                                 #arraySubquery
    | MAP LPAREN (mapEntry (COMMA mapEntry)*)? RPAREN                           #mapConstructor
    | STRUCT LPAREN (structField (COMMA structField)*)? RPAREN                  #structConstructor
    | EXISTS LPAREN query RPAREN                                                #exists
    | qualifiedName LPAREN ASTERISK RPAREN overClause?                          #functionCallStar
    | EXTRACT LPAREN (identifier | STRING) FROM valueExpression RPAREN         #extract
    | SUBSTRING LPAREN valueExpression (FROM start=valueExpression (FOR length=valueExpression)?
        | FOR length=valueExpression) RPAREN                                    #substringFrom
    | TRIM LPAREN side=(BOTH | LEADING | TRAILING)? characters=valueExpression?
        FROM valueExpression RPAREN                                             #trimFrom
    | qualifiedName LPAREN (DISTINCT? functionArgument (COMMA functionArgument)* orderBy?)? RPAREN
        overClause?                                                             #functionCall
    | LPAREN query RPAREN                                                       #subqueryExpression
    | identifier                                                                #columnReference
    | qualifier=identifier DOT name=identifier                                  #qualifiedColumnReference
    | LPAREN expression RPAREN                                                  #parenthesizedExpression
    | LPAREN expression RPAREN DOT identifier                                   #parenthesizedFieldAccess
    | container=valueExpression LBRACKET index=valueExpression RBRACKET         #subscript
    | container=valueExpression ARROW field=identifier                          #dereference
    | valueExpression DOUBLE_COLON type                                         #postgresCast
    | valueExpression COLLATE qualifiedName                                     #collate
    | valueExpression AT TIME ZONE zone=valueExpression                         #atTimeZone
    | operator=(MINUS | PLUS | TILDE) valueExpression                           #arithmeticUnary
    | left=valueExpression operator=(ASTERISK | SLASH | PERCENT) right=valueExpression #arithmeticBinary
    | left=valueExpression operator=(PLUS | MINUS) right=valueExpression        #arithmeticBinary
    | left=valueExpression CONCAT right=valueExpression                         #concatenation
    // PostgreSQL's bit operators on integers, at the level of || ("any other operator"). << and >> are two
    // tokens each (so ARRAY<ARRAY<INT>> still closes); AstBuilder requires them adjacent.
    | left=valueExpression (operator=(AMPERSAND | PIPE | HASH) | shiftLeft=LT LT | shiftRight=GT GT)
        right=valueExpression                                                   #bitwiseBinary
    ;

functionArgument
    : identifier LAMBDA_ARROW expression                                        #singleParameterLambda
    | LPAREN identifier (COMMA identifier)* RPAREN LAMBDA_ARROW expression      #multiParameterLambda
    | expression                                                                #expressionArgument
    ;

overClause
    : OVER LPAREN (PARTITION BY expression (COMMA expression)*)? orderBy? windowFrame? RPAREN
    ;

windowFrame
    : unit=(ROWS | RANGE) BETWEEN start=frameBound AND end=frameBound
    | unit=(ROWS | RANGE) start=frameBound
    ;

frameBound
    : UNBOUNDED PRECEDING                                                       #unboundedPrecedingBound
    | UNBOUNDED FOLLOWING                                                       #unboundedFollowingBound
    | CURRENT ROW                                                               #currentRowBound
    | valueExpression direction=(PRECEDING | FOLLOWING)                         #offsetBound
    ;

mapEntry
    : key=expression ASSIGN value=expression
    ;

structField
    : identifier ASSIGN expression
    ;

whenClause
    : WHEN condition=expression THEN result=expression
    ;

comparisonOperator
    : EQ | NEQ | LT | LTE | GT | GTE | TILDE | NOT_TILDE | TILDE_STAR | NOT_TILDE_STAR
    | OPERATOR LPAREN (identifier DOT)* comparisonOperator RPAREN
    ;

literal
    : NULL                                                                      #nullLiteral
    | (TRUE | FALSE)                                                            #booleanLiteral
    | number                                                                    #numericLiteral
    | STRING                                                                    #stringLiteral
    | ESCAPE_STRING                                                             #escapeStringLiteral
    | TIMESTAMP STRING                                                          #timestampLiteral
    | DATE STRING                                                               #dateLiteral
    | TIME STRING                                                               #timeLiteral
    | INTERVAL STRING timeUnit?                                                 #intervalLiteral
    ;

number
    : INTEGER_VALUE
    | DECIMAL_VALUE
    | DOUBLE_VALUE
    ;

// ---------------------------------------------------------------- types and names

type
    : type LBRACKET INTEGER_VALUE? RBRACKET                                     #arraySuffixType
    | ARRAY LT type GT                                                          #arrayType
    | MAP LT key=type COMMA value=type GT                                       #mapType
    | STRUCT (LT (identifier type (COMMA identifier type)*)? GT | NEQ)           #structType
    | typeName (LPAREN INTEGER_VALUE (COMMA INTEGER_VALUE)* RPAREN)?            #primitiveType
    ;

typeName
    : DOUBLE PRECISION
    | CHARACTER VARYING
    | (TIMESTAMP | TIME) (WITH | WITHOUT) TIME ZONE
    | INTERVAL
    | qualifiedName
    ;

qualifiedName
    : identifier (DOT identifier)*
    ;

// Unlabeled on purpose: a labeled alternative allocates a second context object, and identifiers are the
// most frequent rule. AstBuilder tells the three kinds apart by the first token's type.
identifier
    : IDENTIFIER
    | DIGIT_IDENTIFIER
    | QUOTED_IDENTIFIER
    | BACKQUOTED_IDENTIFIER
    | nonReserved
    ;

nonReserved
    : ABORT | ADD | ADVANCE | ARCHIVALS | ARCHIVE | AT | BEGIN | BOTH | BEGINNING | CHANGES | CHARACTER | COLUMN | COMMIT
    | COMPACT | CONFLICT | CONSTRAINT | DO | NOTHING | UPDATE
    | CURRENT | DATE | DAY | DAYS
    | DEFAULT | DESCRIBE | DISCARD | DOUBLE | EXPLAIN | EXTENDED | EXTRACT | FINAL | FIRST | FUNCTION
    | FOLLOWING | FOR | FUNCTIONS | GRACE | HEADER | HEADERS | HOPPING | HOUR | HOURS | ISOLATION | KEY | LAST | LEADING
    | LEVEL
    | LIST | LOCAL | MILLISECOND | MILLISECONDS | MINUTE | MINUTES | NULLS | OFFSET | ONLY | OPERATOR
    | PERIOD | PLANS | PRECEDING | PRECISION | PRINT | PROPERTIES | QUERIES | READ | RECURSIVE | REPLACE | RETENTION
    | ROLLBACK
    | RANGE | ROW | ROWS | SAMPLE | SECOND | SECONDS | SEQUENCES | SESSION | SHOW | SIZE | SOURCE | START
    | STREAM | STREAMS | SUBSTRING | TABLES | TEMP | TEMPORARY | TERMINATE | TIME | TIMESTAMP | TOPIC | TOPICS
    | TRAILING | TRIM
    | TRANSACTION | TUMBLING | TYPE | TYPES | UNBOUNDED | UNSET | VARIABLES | VARYING | WITHOUT | WORK | WRITE | ZONE
    ;

// ---------------------------------------------------------------- lexer

ABORT: 'ABORT';
ADD: 'ADD';
ADVANCE: 'ADVANCE';
ALL: 'ALL';
ALTER: 'ALTER';
AND: 'AND';
ANY: 'ANY';
ARCHIVALS: 'ARCHIVALS';
ARCHIVE: 'ARCHIVE';
ARRAY: 'ARRAY';
AS: 'AS';
ASC: 'ASC';
AT: 'AT';
BEGIN: 'BEGIN';
BEGINNING: 'BEGINNING';
BETWEEN: 'BETWEEN';
BOTH: 'BOTH';
BY: 'BY';
CASE: 'CASE';
CAST: 'CAST';
CHANGES: 'CHANGES';
CHARACTER: 'CHARACTER';
COLLATE: 'COLLATE';
COLUMN: 'COLUMN';
COMMIT: 'COMMIT';
COMPACT: 'COMPACT';
CONFLICT: 'CONFLICT';
CONSTRAINT: 'CONSTRAINT';
CREATE: 'CREATE';
CURRENT: 'CURRENT';
CROSS: 'CROSS';
DATE: 'DATE';
DAY: 'DAY';
DAYS: 'DAYS';
DEFAULT: 'DEFAULT';
DELETE: 'DELETE';
DESC: 'DESC';
DESCRIBE: 'DESCRIBE';
DISCARD: 'DISCARD';
DISTINCT: 'DISTINCT';
DO: 'DO';
DOUBLE: 'DOUBLE';
DROP: 'DROP';
ELSE: 'ELSE';
EMIT: 'EMIT';
END: 'END';
ESCAPE: 'ESCAPE';
EXCEPT: 'EXCEPT';
EXISTS: 'EXISTS';
EXPLAIN: 'EXPLAIN';
EXTENDED: 'EXTENDED';
EXTRACT: 'EXTRACT';
FALSE: 'FALSE';
FINAL: 'FINAL';
FIRST: 'FIRST';
FOLLOWING: 'FOLLOWING';
FOR: 'FOR';
FROM: 'FROM';
FULL: 'FULL';
FUNCTION: 'FUNCTION';
FUNCTIONS: 'FUNCTIONS';
GRACE: 'GRACE';
GROUP: 'GROUP';
HAVING: 'HAVING';
HEADER: 'HEADER';
HEADERS: 'HEADERS';
HOPPING: 'HOPPING';
HOUR: 'HOUR';
HOURS: 'HOURS';
IF: 'IF';
ILIKE: 'ILIKE';
IN: 'IN';
INNER: 'INNER';
INSERT: 'INSERT';
INTERSECT: 'INTERSECT';
INTERVAL: 'INTERVAL';
INTO: 'INTO';
IS: 'IS';
ISOLATION: 'ISOLATION';
JOIN: 'JOIN';
KEY: 'KEY';
LAST: 'LAST';
LATERAL: 'LATERAL';
LEADING: 'LEADING';
LEFT: 'LEFT';
LEVEL: 'LEVEL';
LIKE: 'LIKE';
LIMIT: 'LIMIT';
LIST: 'LIST';
LOCAL: 'LOCAL';
MAP: 'MAP';
MILLISECOND: 'MILLISECOND';
MILLISECONDS: 'MILLISECONDS';
MINUTE: 'MINUTE';
MINUTES: 'MINUTES';
NOT: 'NOT';
NOTHING: 'NOTHING';
NULL: 'NULL';
NULLS: 'NULLS';
OFFSET: 'OFFSET';
ON: 'ON';
ONLY: 'ONLY';
OPERATOR: 'OPERATOR';
OR: 'OR';
ORDER: 'ORDER';
OUTER: 'OUTER';
OVER: 'OVER';
PARTITION: 'PARTITION';
PERIOD: 'PERIOD';
PLANS: 'PLANS';
PRECEDING: 'PRECEDING';
PRECISION: 'PRECISION';
PRIMARY: 'PRIMARY';
PRINT: 'PRINT';
PROPERTIES: 'PROPERTIES';
QUERIES: 'QUERIES';
RANGE: 'RANGE';
READ: 'READ';
RECURSIVE: 'RECURSIVE';
REPLACE: 'REPLACE';
RETENTION: 'RETENTION';
RIGHT: 'RIGHT';
ROLLBACK: 'ROLLBACK';
ROW: 'ROW';
ROWS: 'ROWS';
SAMPLE: 'SAMPLE';
SECOND: 'SECOND';
SECONDS: 'SECONDS';
SELECT: 'SELECT';
SEQUENCES: 'SEQUENCES';
SESSION: 'SESSION';
SET: 'SET';
SHOW: 'SHOW';
SIZE: 'SIZE';
SOME: 'SOME';
SOURCE: 'SOURCE';
START: 'START';
STREAM: 'STREAM';
STREAMS: 'STREAMS';
STRUCT: 'STRUCT';
SUBSTRING: 'SUBSTRING';
TABLE: 'TABLE';
TABLES: 'TABLES';
TEMP: 'TEMP';
TEMPORARY: 'TEMPORARY';
TERMINATE: 'TERMINATE';
THEN: 'THEN';
TIME: 'TIME';
TIMESTAMP: 'TIMESTAMP';
TO: 'TO';
TOPIC: 'TOPIC';
TOPICS: 'TOPICS';
TRAILING: 'TRAILING';
TRANSACTION: 'TRANSACTION';
TRIM: 'TRIM';
TRUE: 'TRUE';
TUMBLING: 'TUMBLING';
TYPE: 'TYPE';
TYPES: 'TYPES';
UNION: 'UNION';
UNBOUNDED: 'UNBOUNDED';
UNSET: 'UNSET';
UPDATE: 'UPDATE';
USING: 'USING';
VALUES: 'VALUES';
VARIABLES: 'VARIABLES';
VARYING: 'VARYING';
WHEN: 'WHEN';
WHERE: 'WHERE';
WINDOW: 'WINDOW';
WITH: 'WITH';
WITHIN: 'WITHIN';
WITHOUT: 'WITHOUT';
WORK: 'WORK';
WRITE: 'WRITE';
ZONE: 'ZONE';

EQ: '=';
NEQ: '<>' | '!=';
LTE: '<=';
GTE: '>=';
LT: '<';
GT: '>';
NOT_TILDE_STAR: '!~*';
NOT_TILDE: '!~';
TILDE_STAR: '~*';
TILDE: '~';
PLUS: '+';
MINUS: '-';
ASTERISK: '*';
SLASH: '/';
PERCENT: '%';
CONCAT: '||';
AMPERSAND: '&';
PIPE: '|';
HASH: '#';
ASSIGN: ':=';
DOUBLE_COLON: '::';
ARROW: '->';
LAMBDA_ARROW: '=>';
LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';
COMMA: ',';
DOT: '.';
SEMICOLON: ';';

STRING
    : '\'' ( ~'\'' | '\'\'' )* '\''
    ;

// PostgreSQL's escape string: E'a\nb' (backslash escapes; '' is a quote too). AstBuilder decodes it.
ESCAPE_STRING
    : 'E\'' ( ~['\\] | '\\' . | '\'\'' )* '\''
    ;

INTEGER_VALUE
    : DIGIT+
    ;

DECIMAL_VALUE
    : DIGIT+ '.' DIGIT*
    | '.' DIGIT+
    ;

DOUBLE_VALUE
    : DIGIT+ ('.' DIGIT*)? EXPONENT
    | '.' DIGIT+ EXPONENT
    ;

PARAMETER
    : '$' DIGIT+
    ;

IDENTIFIER
    : (LETTER | '_') (LETTER | DIGIT | '_' | '@' | '$')*
    ;

// ksqlDB accepts names that start with a digit (ROUND(v, -1) AS 1R). Defined after the number rules so that
// 1E5 stays a DOUBLE when both match the same length; 1R is longer as a name than as the number 1.
DIGIT_IDENTIFIER
    : DIGIT+ (LETTER | '_') (LETTER | DIGIT | '_' | '@' | '$')*
    ;

QUOTED_IDENTIFIER
    : '"' ( ~'"' | '""' )* '"'
    ;

BACKQUOTED_IDENTIFIER
    : '`' ( ~'`' | '``' )* '`'
    ;

fragment EXPONENT
    : 'E' [+-]? DIGIT+
    ;

fragment DIGIT
    : [0-9]
    ;

fragment LETTER
    : [A-Z]
    | ~[\u0000-\u007F]
    ;

// Comments and white space are skipped rather than kept on a hidden channel: spans come from token offsets,
// and not creating a token for every gap makes the lexer markedly cheaper.
SIMPLE_COMMENT
    : '--' ~[\r\n]* -> skip
    ;

BRACKETED_COMMENT
    : '/*' .*? '*/' -> skip
    ;

WS
    : [ \r\n\t\f]+ -> skip
    ;

// Anything else becomes one token the parser cannot use, so a stray character is a syntax error
// with a position rather than a lexer message.
UNRECOGNIZED
    : .
    ;
